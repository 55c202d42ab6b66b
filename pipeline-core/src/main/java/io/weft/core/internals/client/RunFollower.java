package io.weft.core.internals.client;

import io.weft.schemas.events.RunEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one run's events: reads the partition its run id maps to from the beginning, keeping the
 * run's records, on a thread of its own.
 */
public final class RunFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunFollower.class);

  private final KafkaConsumer<String, RunEvent> consumer;
  private final Thread thread;
  private volatile boolean closed;

  private RunFollower(
      KafkaConsumer<String, RunEvent> consumer,
      String runId,
      TopicPartition partition,
      Consumer<RunEvent> listener) {
    this.consumer = consumer;
    this.thread = new Thread(() -> loop(runId, partition, listener), "weft-follow-" + runId);
    this.thread.setDaemon(true);
  }

  public static RunFollower start(
      Map<String, Object> consumerProps,
      String topic,
      String runId,
      Deserializer<RunEvent> values,
      Consumer<RunEvent> listener) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, RunEvent> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), values);
    int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
    int partition =
        Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % partitions;
    RunFollower follower =
        new RunFollower(consumer, runId, new TopicPartition(topic, partition), listener);
    follower.thread.start();
    return follower;
  }

  private void loop(String runId, TopicPartition partition, Consumer<RunEvent> listener) {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (!closed) {
        for (ConsumerRecord<String, RunEvent> record : consumer.poll(Duration.ofMillis(200))) {
          if (runId.equals(record.key()) && record.value() != null) {
            listener.accept(record.value());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("Following run {} stopped: {}", runId, e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

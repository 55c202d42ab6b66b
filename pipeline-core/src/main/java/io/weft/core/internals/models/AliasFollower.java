package io.weft.core.internals.models;

import io.weft.schemas.models.ModelAliasChanged;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the aliases topic on a thread of its own: hands the listener the current record of every
 * alias (the latest of each key up to the committed end when it starts, by key), then each record
 * committed after that, until closed.
 */
public final class AliasFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AliasFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final TopicPartition partition;
  private final Deserializer<ModelAliasChanged> values;
  private final Consumer<ModelAliasChanged> listener;
  private final Thread thread;
  private volatile boolean closed;

  private AliasFollower(
      KafkaConsumer<String, byte[]> consumer,
      TopicPartition partition,
      Deserializer<ModelAliasChanged> values,
      Consumer<ModelAliasChanged> listener) {
    this.consumer = consumer;
    this.partition = partition;
    this.values = values;
    this.listener = listener;
    this.thread = new Thread(this::loop, "weft-model-aliases");
    this.thread.setDaemon(true);
  }

  public static AliasFollower start(
      Map<String, Object> consumerProps,
      String topic,
      Deserializer<ModelAliasChanged> values,
      Consumer<ModelAliasChanged> listener) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    AliasFollower follower =
        new AliasFollower(
            new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer()),
            new TopicPartition(topic, 0),
            values,
            listener);
    follower.thread.start();
    return follower;
  }

  private void loop() {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      Map<String, ModelAliasChanged> current = new TreeMap<>();
      while (!closed && consumer.position(partition) < end) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            current.remove(record.key());
          } else {
            ModelAliasChanged value = decode(record);
            if (value != null) {
              current.put(record.key(), value);
            }
          }
        }
      }
      current.values().forEach(this::deliver);
      while (!closed) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            ModelAliasChanged value = decode(record);
            if (value != null) {
              deliver(value);
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("Following {} stopped: {}", partition.topic(), e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private ModelAliasChanged decode(ConsumerRecord<String, byte[]> record) {
    try {
      return values.deserialize(record.topic(), record.value());
    } catch (KafkaException e) {
      log.warn(
          "Skipping undecodable record {}@{} (key {}): {}",
          record.topic(),
          record.offset(),
          record.key(),
          e.getMessage());
      return null;
    }
  }

  private void deliver(ModelAliasChanged change) {
    if (closed) {
      return;
    }
    try {
      listener.accept(change);
    } catch (RuntimeException e) {
      log.warn("An alias listener failed on {}: {}", change, e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package io.weft.benchmarks;

import io.weft.schemas.events.RunEvent;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the committed run events written after it started ({@code read_committed}, from the end of
 * the events topic), or all of them ({@link #fromBeginning}), on a thread of its own and hands each
 * to a listener.
 */
final class EventTap implements AutoCloseable {

  /** Receives events on the tap's thread. */
  @FunctionalInterface
  interface Listener {
    /**
     * @param event the event
     * @param recordTimestamp the record's timestamp, epoch millis
     * @param receivedNanos {@link System#nanoTime()} when the tap received it
     */
    void onEvent(RunEvent event, long recordTimestamp, long receivedNanos);
  }

  private final KafkaConsumer<String, RunEvent> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private EventTap(KafkaConsumer<String, RunEvent> consumer, Listener listener) {
    this.consumer = consumer;
    this.thread = new Thread(() -> loop(listener), "bench-event-tap");
    this.thread.setDaemon(true);
  }

  /** Starts reading; returns once positioned at the end of every partition. */
  static EventTap start(WeftInstallation installation, Listener listener) {
    return start(installation, listener, false);
  }

  /** Starts reading every committed event from the beginning of each partition. */
  static EventTap fromBeginning(WeftInstallation installation, Listener listener) {
    return start(installation, listener, true);
  }

  private static EventTap start(
      WeftInstallation installation, Listener listener, boolean fromBeginning) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            installation.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            2000);
    KafkaConsumer<String, RunEvent> consumer =
        new KafkaConsumer<>(
            props,
            new StringDeserializer(),
            new AvroDeserializer<>(
                RunEvent.class, Map.of("schema.registry.url", installation.schemaRegistryUrl())));
    String topic = installation.topics().events();
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    partitions.forEach(consumer::position); // resolve the offsets now, before any run starts
    EventTap tap = new EventTap(consumer, listener);
    tap.thread.start();
    return tap;
  }

  private void loop(Listener listener) {
    try {
      while (running) {
        for (ConsumerRecord<String, RunEvent> record : consumer.poll(Duration.ofMillis(100))) {
          if (record.value() != null) {
            listener.onEvent(record.value(), record.timestamp(), System.nanoTime());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Throws what stopped the tap, if anything did. */
  void check() {
    if (failure != null) {
      throw new IllegalStateException("Reading the run events failed: " + failure, failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}

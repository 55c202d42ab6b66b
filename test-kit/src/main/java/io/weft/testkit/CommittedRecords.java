package io.weft.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads every partition of a topic from its beginning, {@code read_committed}, accumulating the
 * records: what an installation has committed, for assertions.
 */
public final class CommittedRecords<V> implements AutoCloseable {

  private final KafkaConsumer<String, V> consumer;
  private final List<ConsumerRecord<String, V>> records = new ArrayList<>();
  private final Duration wait;

  /**
   * A reader of {@code topic}, which must exist.
   *
   * @param wait how long {@link #awaitUntil} and {@link #readToEnd} wait at most
   */
  public CommittedRecords(
      String bootstrapServers, String topic, Deserializer<V> values, Duration wait) {
    this.wait = wait;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            values);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, wait).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("Topic " + topic + " does not exist (yet)");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Every committed value of {@code topic} up to its current end (tombstones left out). */
  public static <V> List<V> readAll(
      String bootstrapServers, String topic, Deserializer<V> values, Duration wait) {
    try (CommittedRecords<V> reader =
        new CommittedRecords<>(bootstrapServers, topic, values, wait)) {
      return reader.readToEnd().stream().map(ConsumerRecord::value).filter(v -> v != null).toList();
    }
  }

  /** Polls until the records read so far satisfy {@code condition}; returns them. */
  public List<ConsumerRecord<String, V>> awaitUntil(
      Predicate<List<ConsumerRecord<String, V>>> condition) {
    Awaitility.await()
        .atMost(wait)
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100)).forEach(records::add);
              return condition.test(records);
            });
    return List.copyOf(records);
  }

  /** The records read so far, without reading more. */
  public List<ConsumerRecord<String, V>> read() {
    return List.copyOf(records);
  }

  /** Reads up to the current end of every partition (the last stable offset); returns all. */
  public List<ConsumerRecord<String, V>> readToEnd() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    return awaitUntil(
        read ->
            ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()));
  }

  @Override
  public void close() {
    consumer.close();
  }
}

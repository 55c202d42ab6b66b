package io.weft.workers;

import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
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

/** Reads every partition of a topic from the beginning, read_committed, accumulating records. */
final class TopicReader<V> implements AutoCloseable {

  private final KafkaConsumer<String, V> consumer;
  private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

  TopicReader(WeftStack stack, String topic, Deserializer<V> deserializer) {
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            deserializer);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("Topic " + topic + " does not exist (yet)");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls until the records read so far satisfy {@code condition}; returns them. */
  List<ConsumerRecord<String, V>> awaitUntil(Predicate<List<ConsumerRecord<String, V>>> condition) {
    await()
        .atMost(CoordinatorKit.WAIT)
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100)).forEach(records::add);
              return condition.test(records);
            });
    return List.copyOf(records);
  }

  /** Reads up to the current end of every partition (the last stable offset); returns all. */
  List<ConsumerRecord<String, V>> readToEnd() {
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

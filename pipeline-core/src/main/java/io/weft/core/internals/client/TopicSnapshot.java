package io.weft.core.internals.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning to its current end: a compacted one as the last value of each
 * key (a tombstone removes the key), its state as of now, or any one record by record.
 */
public final class TopicSnapshot {

  private TopicSnapshot() {}

  public static <V> Map<String, V> read(
      Map<String, Object> consumerProps, String topic, Deserializer<V> values, Duration timeout) {
    Map<String, V> state = new LinkedHashMap<>();
    forEach(
        consumerProps,
        topic,
        new StringDeserializer(),
        values,
        timeout,
        record -> {
          if (record.value() == null) {
            state.remove(record.key());
          } else {
            state.put(record.key(), record.value());
          }
        });
    return state;
  }

  /**
   * Calls {@code each} with every committed record of {@code topic}, from its beginning to its
   * current end, partition by partition in offset order.
   */
  public static <K, V> void forEach(
      Map<String, Object> consumerProps,
      String topic,
      Deserializer<K> keys,
      Deserializer<V> values,
      Duration timeout,
      Consumer<ConsumerRecord<K, V>> each) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new io.weft.common.WeftException(
              "Reading " + topic + " did not finish within " + timeout);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }
}

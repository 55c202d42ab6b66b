package io.weft.core.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The records of a topic that a consumer group has not taken yet, counted by reading them: the
 * offsets between also hold the transaction markers of the transactions that wrote them (about one
 * a record for Weft's task and dead-letter topics), so end offsets minus committed offsets would
 * count about twice as many.
 */
public final class Backlog {

  /** Offsets a backlog is counted record by record up to, per partition; estimated above it. */
  public static final long COUNTED_UP_TO = 100_000;

  private Backlog() {}

  /**
   * Records of {@code topic} after {@code group}'s committed offsets (from the start of a partition
   * without one, and of every partition if {@code group} is null), read {@code read_committed}; a
   * partition further behind than {@value #COUNTED_UP_TO} offsets counts its offsets instead.
   *
   * @param consumerProps the brokers and the security settings of a consumer
   * @param timeout how long the count may read, and each call to the broker wait
   */
  public static long count(
      Map<String, Object> consumerProps,
      Admin admin,
      TopicDescription topic,
      String group,
      Duration timeout)
      throws InterruptedException, ExecutionException {
    Map<TopicDescription, String> one = new HashMap<>();
    one.put(topic, group);
    return counts(consumerProps, admin, one, timeout).get(topic.name());
  }

  /**
   * {@link #count} of each topic with its group (null for none), by topic name: with one request
   * per kind of offset for all of them, and one consumer reading every partition to count.
   */
  public static Map<String, Long> counts(
      Map<String, Object> consumerProps,
      Admin admin,
      Map<TopicDescription, String> groups,
      Duration timeout)
      throws InterruptedException, ExecutionException {
    Map<String, String> groupOfTopic = new HashMap<>();
    groups.forEach((topic, group) -> groupOfTopic.put(topic.name(), group));
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    for (String group : new HashSet<>(groups.values())) {
      if (group == null) {
        continue;
      }
      admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .forEach(
              (partition, offset) -> {
                // a group's offsets on the topics it is counted for, not on others it reads
                if (offset != null && group.equals(groupOfTopic.get(partition.topic()))) {
                  committed.put(partition, offset);
                }
              });
    }
    List<TopicPartition> partitions = new ArrayList<>();
    groups
        .keySet()
        .forEach(
            topic ->
                topic
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition()))));
    Map<TopicPartition, Long> starts = offsets(admin, partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
    Map<String, Long> backlogs = new HashMap<>();
    groups.keySet().forEach(topic -> backlogs.put(topic.name(), 0L));
    Map<TopicPartition, Long> toCount = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata done = committed.get(partition);
      long from = Math.max(starts.get(partition), done == null ? 0 : done.offset());
      long gap = ends.get(partition) - from;
      if (gap > COUNTED_UP_TO) {
        backlogs.merge(partition.topic(), gap, Long::sum);
      } else if (gap > 0) {
        toCount.put(partition, from);
      }
    }
    if (!toCount.isEmpty()) {
      read(consumerProps, toCount, ends, timeout)
          .forEach((topic, n) -> backlogs.merge(topic, n, Long::sum));
    }
    return backlogs;
  }

  /**
   * The records from each partition's offset in {@code from} to its end in {@code ends}, by topic.
   */
  private static Map<String, Long> read(
      Map<String, Object> consumerProps,
      Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> ends,
      Duration timeout) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Map<String, Long> records = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (from.keySet().stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(record -> records.merge(record.topic(), 1L, Long::sum));
      }
    }
    return records;
  }

  /**
   * Each partition's offset of {@code spec}, the latest as a {@code read_committed} reader sees.
   */
  private static Map<TopicPartition, Long> offsets(
      Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(p -> request.put(p, spec));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    admin
        .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get()
        .forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }
}

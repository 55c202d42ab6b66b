package io.weft.cli;

import io.weft.core.api.WeftTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The task topics of an installation, their end offsets, and their worker groups' members. */
final class TaskTopics {

  private TaskTopics() {}

  /** The task topics by type: of {@code types}, or all if empty; an unknown type fails. */
  static Map<String, TopicDescription> describe(Admin admin, WeftTopics topics, List<String> types)
      throws InterruptedException, ExecutionException {
    String prefix = topics.tasks("");
    List<String> names =
        admin.listTopics().names().get().stream()
            .filter(n -> n.startsWith(prefix))
            .filter(n -> types.isEmpty() || types.contains(n.substring(prefix.length())))
            .toList();
    Map<String, TopicDescription> byType = new TreeMap<>();
    admin
        .describeTopics(names)
        .allTopicNames()
        .get()
        .forEach((name, d) -> byType.put(name.substring(prefix.length()), d));
    for (String type : types) {
      if (!byType.containsKey(type)) {
        throw new CliException(
            Weft.FAILED, "task type '" + type + "' has no topic (" + topics.tasks(type) + ")");
      }
    }
    return byType;
  }

  /** The sum of the end offsets of each topic's partitions, by topic name. */
  static Map<String, Long> endOffsets(Admin admin, Collection<TopicDescription> topics)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetSpec> latest =
        topics.stream()
            .flatMap(
                t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
    Map<String, Long> sums = new TreeMap<>();
    topics.forEach(t -> sums.put(t.name(), 0L));
    admin
        .listOffsets(latest)
        .all()
        .get()
        .forEach((partition, info) -> sums.merge(partition.topic(), info.offset(), Long::sum));
    return sums;
  }

  /** Offsets a backlog is counted record by record up to, per partition; estimated above it. */
  static final long COUNTED_UP_TO = 100_000;

  /**
   * Requests on {@code topic} after {@code group}'s committed offsets (from the start of a
   * partition without one): counted by reading them, {@code read_committed}, since the offsets
   * between also hold the transaction markers of the coordinator's transactions (about one a
   * request); a partition further behind than {@value #COUNTED_UP_TO} offsets counts its offsets
   * instead.
   */
  static long backlog(
      Map<String, Object> settings, Admin admin, TopicDescription topic, String group)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    List<TopicPartition> partitions =
        topic.partitions().stream()
            .map(p -> new TopicPartition(topic.name(), p.partition()))
            .toList();
    Map<String, Object> props = Kafka.adminProps(settings);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    long backlog = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      Map<TopicPartition, Long> starts =
          consumer.beginningOffsets(partitions, Kafka.CONNECT_TIMEOUT);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Kafka.CONNECT_TIMEOUT);
      List<TopicPartition> counted = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata done = committed.get(partition);
        long from = Math.max(starts.get(partition), done == null ? 0 : done.offset());
        long gap = ends.get(partition) - from;
        if (gap > COUNTED_UP_TO) {
          backlog += gap;
        } else if (gap > 0) {
          consumer.seek(partition, from);
          counted.add(partition);
        }
      }
      consumer.assign(counted);
      long deadline = System.nanoTime() + Kafka.CONNECT_TIMEOUT.toNanos();
      while (counted.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        backlog += consumer.poll(Duration.ofMillis(200)).count();
      }
    }
    return backlog;
  }

  /** How many members {@code group} has now. */
  static int members(Admin admin, String group) throws InterruptedException, ExecutionException {
    ConsumerGroupDescription description =
        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    return description == null ? 0 : description.members().size();
  }
}

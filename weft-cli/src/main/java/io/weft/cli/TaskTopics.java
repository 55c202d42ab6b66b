package io.weft.cli;

import io.weft.core.api.Backlog;
import io.weft.core.api.WeftTopics;
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
import org.apache.kafka.common.TopicPartition;

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

  /**
   * Requests on {@code topic} after {@code group}'s committed offsets (from the start of a
   * partition without one), counted as {@link Backlog#count} does.
   */
  static long backlog(
      Map<String, Object> settings, Admin admin, TopicDescription topic, String group)
      throws InterruptedException, ExecutionException {
    return Backlog.count(Kafka.adminProps(settings), admin, topic, group, Kafka.CONNECT_TIMEOUT);
  }

  /** How many members {@code group} has now. */
  static int members(Admin admin, String group) throws InterruptedException, ExecutionException {
    ConsumerGroupDescription description =
        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    return description == null ? 0 : description.members().size();
  }
}

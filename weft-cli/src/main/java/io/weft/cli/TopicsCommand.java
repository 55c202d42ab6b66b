package io.weft.cli;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.WeftTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft topics}: Weft's topics, and each task type's consumer lag. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = {
      "Lists Weft's topics (those with the topic prefix) and their partitions; for each task"
          + " topic, the consumer lag of its worker group (records not yet taken by a worker)."
    })
final class TopicsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() throws InterruptedException, ExecutionException {
    Map<String, Object> settings = connection.clientSettings();
    WeftTopics topics = new ClientConfig(settings).topics();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("TOPIC", "PARTITIONS", "WORKER GROUP", "LAG"));
    try (Admin admin = Kafka.admin(Kafka.adminProps(settings))) {
      List<String> names =
          admin.listTopics().names().get().stream()
              .filter(n -> n.startsWith(topics.prefix()))
              .sorted()
              .toList();
      Map<String, TopicDescription> descriptions =
          new TreeMap<>(admin.describeTopics(names).allTopicNames().get());
      String taskPrefix = topics.tasks("");
      for (TopicDescription topic : descriptions.values()) {
        String group = "-";
        String lag = "-";
        if (topic.name().startsWith(taskPrefix)) {
          group = topics.workerGroup(topic.name().substring(taskPrefix.length()));
          lag = String.valueOf(lag(admin, topic, group));
        }
        rows.add(List.of(topic.name(), String.valueOf(topic.partitions().size()), group, lag));
      }
    }
    Output.table(spec.commandLine().getOut(), rows);
    return Weft.OK;
  }

  /** Records on {@code topic} after the group's committed offsets (all of them if none). */
  private static long lag(Admin admin, TopicDescription topic, String group)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> latest =
        topic.partitions().stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic.name(), p.partition()),
                    p -> OffsetSpec.latest()));
    Map<TopicPartition, OffsetSpec> earliest =
        latest.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()));
    var ends = admin.listOffsets(latest).all().get();
    var starts = admin.listOffsets(earliest).all().get();
    long lag = 0;
    for (TopicPartition partition : latest.keySet()) {
      OffsetAndMetadata done = committed.get(partition);
      long from = done != null ? done.offset() : starts.get(partition).offset();
      lag += Math.max(0, ends.get(partition).offset() - from);
    }
    return lag;
  }
}

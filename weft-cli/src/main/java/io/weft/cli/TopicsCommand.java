package io.weft.cli;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.WeftTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
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
          lag = String.valueOf(TaskTopics.backlog(settings, admin, topic, group));
        }
        rows.add(List.of(topic.name(), String.valueOf(topic.partitions().size()), group, lag));
      }
    }
    Output.table(spec.commandLine().getOut(), rows);
    return Weft.OK;
  }
}

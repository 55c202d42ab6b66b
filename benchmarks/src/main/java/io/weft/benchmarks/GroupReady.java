package io.weft.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

/**
 * Waits until a worker group has settled: stable, with the expected members, every partition of the
 * task topic assigned. Measuring before that would measure a rebalance.
 */
final class GroupReady {

  private GroupReady() {}

  static void await(Installation installation, String type, int members, Duration timeout)
      throws Exception {
    String group = installation.topics().workerGroup(type);
    String topic = installation.topics().tasks(type);
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "not described yet";
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", installation.stack().bootstrapServers()))) {
      int partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      while (System.nanoTime() < deadline) {
        ConsumerGroupDescription description =
            admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
        long assigned =
            description.members().stream()
                .map(MemberDescription::assignment)
                .mapToLong(a -> a.topicPartitions().size())
                .sum();
        if (description.groupState() == GroupState.STABLE
            && description.members().size() == members
            && assigned == partitions) {
          return;
        }
        last =
            description.groupState()
                + " with "
                + description.members().size()
                + " members and "
                + assigned
                + " of "
                + partitions
                + " partitions assigned";
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    throw new IllegalStateException(
        "Worker group " + group + " did not settle within " + timeout + ": " + last);
  }
}

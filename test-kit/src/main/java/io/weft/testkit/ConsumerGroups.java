package io.weft.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/** Waits on the consumer groups of workers and coordinators. */
public final class ConsumerGroups {

  private ConsumerGroups() {}

  /**
   * Waits until {@code group} is stable with {@code members} members, each assigned some
   * partitions. A worker reports ready once it has subscribed; the group settles a rebalance or two
   * later, and a task dispatched in between may start on one member and move to another.
   */
  public static void awaitStable(Admin admin, String group, int members, Duration atMost) {
    await()
        .atMost(atMost)
        .until(
            () -> {
              ConsumerGroupDescription description =
                  admin
                      .describeConsumerGroups(List.of(group))
                      .all()
                      .get(10, TimeUnit.SECONDS)
                      .get(group);
              return description.groupState() == GroupState.STABLE
                  && description.members().size() == members
                  && description.members().stream()
                      .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
  }
}

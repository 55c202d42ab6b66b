package io.weft.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

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

  /**
   * A line on {@code group} for a test's failure message: its state, members, how many partitions
   * it has offsets committed on, and each partition whose committed offset is behind the last
   * stable offset, with how far; or why it cannot tell.
   */
  public static String describe(Admin admin, String group) {
    try {
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          admin
              .listOffsets(
                  committed.keySet().stream()
                      .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
                  new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(10, TimeUnit.SECONDS);
      Map<String, Long> lag = new TreeMap<>();
      committed.forEach(
          (partition, offset) -> {
            long behind = ends.get(partition).offset() - (offset == null ? 0 : offset.offset());
            if (behind > 0) {
              lag.put(partition.toString(), behind);
            }
          });
      return String.format(
          "group %s: %s, %d members, offsets committed on %d partitions, lag %s",
          group, description.groupState(), description.members().size(), committed.size(), lag);
    } catch (Exception e) {
      return "group " + group + ": cannot describe it: " + e;
    }
  }
}

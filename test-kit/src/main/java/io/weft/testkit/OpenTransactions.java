package io.weft.testkit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What holds back {@code read_committed} readers, for a test's failure message: the partitions
 * whose last stable offset is behind their high watermark, and the transactions not yet complete.
 */
public final class OpenTransactions {

  private OpenTransactions() {}

  /**
   * A line naming each partition of {@code topics} whose last stable offset is behind its high
   * watermark, and each transaction that is ongoing or being completed, with its partitions and
   * age; or why it cannot tell.
   */
  public static String describe(Admin admin, Collection<String> topics) {
    try {
      return "unstable partitions " + unstable(admin, topics) + "; transactions " + open(admin);
    } catch (Exception e) {
      return "open transactions: cannot tell: " + e;
    }
  }

  private static Map<String, String> unstable(Admin admin, Collection<String> topics)
      throws Exception {
    List<TopicPartition> partitions =
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
            .flatMap(
                t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
            .toList();
    Map<TopicPartition, ListOffsetsResultInfo> stable = ends(admin, partitions, true);
    Map<TopicPartition, ListOffsetsResultInfo> watermarks = ends(admin, partitions, false);
    Map<String, String> unstable = new TreeMap<>();
    for (TopicPartition partition : partitions) {
      long lso = stable.get(partition).offset();
      long hw = watermarks.get(partition).offset();
      if (lso < hw) {
        unstable.put(partition.toString(), "LSO " + lso + " < HW " + hw);
      }
    }
    return unstable;
  }

  private static Map<TopicPartition, ListOffsetsResultInfo> ends(
      Admin admin, List<TopicPartition> partitions, boolean committed) throws Exception {
    return admin
        .listOffsets(
            partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
            new ListOffsetsOptions(
                committed ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED))
        .all()
        .get(10, TimeUnit.SECONDS);
  }

  private static List<String> open(Admin admin) throws Exception {
    Set<String> ids =
        admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
            .filter(t -> t.state() != TransactionState.COMPLETE_COMMIT)
            .filter(t -> t.state() != TransactionState.COMPLETE_ABORT)
            .filter(t -> t.state() != TransactionState.EMPTY)
            .map(TransactionListing::transactionalId)
            .collect(Collectors.toSet());
    if (ids.isEmpty()) {
      return List.of();
    }
    long now = System.currentTimeMillis();
    Map<String, TransactionDescription> descriptions =
        admin.describeTransactions(ids).all().get(10, TimeUnit.SECONDS);
    return descriptions.entrySet().stream()
        .map(
            e ->
                String.format(
                    "%s %s on node %d for %d ms (timeout %d ms): %s",
                    e.getKey(),
                    e.getValue().state(),
                    e.getValue().coordinatorId(),
                    e.getValue().transactionStartTimeMs().isPresent()
                        ? now - e.getValue().transactionStartTimeMs().getAsLong()
                        : -1,
                    e.getValue().transactionTimeoutMs(),
                    e.getValue().topicPartitions()))
        .sorted()
        .toList();
  }
}

package io.weft.core.internals.coordinator;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions task requests (key {@code runId/taskId}): a task by the hash of its key, as Kafka's
 * default partitioner does, but the children of a {@code forEach} on consecutive partitions from
 * the hash of {@code runId/parent}, so that a fan-out of up to as many children as the topic has
 * partitions never puts two children on one partition. Workers run one request per partition at a
 * time, so this is what lets the children of a tuning fan-out run side by side.
 */
final class TaskPartitioner implements StreamPartitioner<String, Object> {

  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, Object value, int numPartitions) {
    if (key == null || !TaskIds.isChild(key)) {
      return Optional.empty();
    }
    String parent = TaskIds.base(key);
    int start = Utils.toPositive(Utils.murmur2(parent.getBytes(StandardCharsets.UTF_8)));
    return Optional.of(Set.of(Math.floorMod(start + TaskIds.index(key), numPartitions)));
  }
}

package io.weft.core.internals.coordinator;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The partition of a run's records on the run-keyed topics (commands, results, events and the
 * coordinator's changelogs): the hash of the run id, as Kafka's default partitioner computes it for
 * a string key. The coordinator keeps a run's state in the task of that partition, so records of a
 * run found on another partition are sent on to this one.
 */
public final class RunPartitioner implements StreamPartitioner<byte[], byte[]> {

  /** The partition of the run whose id is {@code key} (UTF-8), among {@code partitions}. */
  public static int of(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  @Override
  public Optional<Set<Integer>> partitions(
      String topic, byte[] key, byte[] value, int numPartitions) {
    return Optional.of(Set.of(of(key, numPartitions)));
  }
}

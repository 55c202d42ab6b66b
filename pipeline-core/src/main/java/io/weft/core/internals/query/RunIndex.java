package io.weft.core.internals.query;

import io.weft.core.internals.coordinator.CoordinatorTopology;
import io.weft.core.internals.coordinator.RunRecords;
import io.weft.schemas.internal.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's part of the run index (run ids by status, newest first, per partition): the
 * newest runs of a status, and how many runs each status has.
 */
final class RunIndex {

  private final KafkaStreams streams;

  RunIndex(KafkaStreams streams) {
    this.streams = streams;
  }

  /** How many of this instance's runs have each status (every status, zero included). */
  Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    for (RunStatus status : RunStatus.values()) {
      counts.put(status.name(), 0L);
    }
    for (int partition : localPartitions()) {
      ReadOnlyKeyValueStore<String, String> index = indexStore(partition);
      for (RunStatus status : RunStatus.values()) {
        long n = 0;
        try (var it = index.prefixScan(RunRecords.indexPrefix(status), new StringSerializer())) {
          while (it.hasNext()) {
            it.next();
            n++;
          }
        }
        counts.merge(status.name(), n, Long::sum);
      }
    }
    return counts;
  }

  private ReadOnlyKeyValueStore<String, String> indexStore(int partition) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
                CoordinatorTopology.INDEX_STORE,
                QueryableStoreTypes.<String, String>keyValueStore())
            .withPartition(partition));
  }

  /**
   * The ids of this instance's newest {@code limit} runs with {@code status} (any if null), from
   * the index: the first keys of each status's prefix, merged by start time. Reads {@code limit}
   * keys per status, not the whole store.
   */
  List<String> newest(String status, int limit) {
    List<RunStatus> statuses =
        status == null
            ? List.of(RunStatus.values())
            : Arrays.stream(RunStatus.values())
                .filter(s -> s.name().equalsIgnoreCase(status))
                .toList();
    List<String> keys = new ArrayList<>();
    // each partition's index is sorted; a store over all of them would only chain them
    for (int partition : localPartitions()) {
      ReadOnlyKeyValueStore<String, String> index = indexStore(partition);
      for (RunStatus each : statuses) {
        try (var it = index.prefixScan(RunRecords.indexPrefix(each), new StringSerializer())) {
          takeNewest(it, limit, keys);
        }
      }
    }
    // newest first across partitions and statuses: the start time, then the run id, descending
    keys.sort(
        Comparator.comparing(RunRecords::startOfIndexKey)
            .thenComparing(RunRecords::runIdOfIndexKey)
            .reversed());
    return keys.stream().limit(limit).map(RunRecords::runIdOfIndexKey).toList();
  }

  /**
   * Adds the first {@code limit} keys of {@code it} to {@code keys}, and those that started in the
   * same millisecond as the last of them: ties are ordered by run id afterwards, which the index
   * orders the other way.
   */
  private static void takeNewest(
      KeyValueIterator<String, String> it, int limit, List<String> keys) {
    Instant last = null;
    int taken = 0;
    while (it.hasNext()) {
      String key = it.next().key;
      Instant start = RunRecords.startOfIndexKey(key);
      if (taken >= limit && !start.equals(last)) {
        return;
      }
      keys.add(key);
      taken++;
      last = start;
    }
  }

  /** The partitions of the coordinator's input topics whose tasks run on this instance. */
  private Set<Integer> localPartitions() {
    Set<Integer> partitions = new TreeSet<>();
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        partitions.add(task.taskId().partition());
      }
    }
    return partitions;
  }
}

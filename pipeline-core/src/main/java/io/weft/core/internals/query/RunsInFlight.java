package io.weft.core.internals.query;

import io.weft.core.internals.coordinator.CoordinatorTopology;
import io.weft.core.internals.coordinator.RunRecords;
import io.weft.schemas.internal.RunStatus;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The runs still running in the partitions this coordinator instance owns: the keys of the status
 * index under {@code RUNNING}, counted when the gauge is read (the index holds keys only, so a
 * count reads no run state).
 */
public final class RunsInFlight {

  private final KafkaStreams streams;

  public RunsInFlight(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The count, or NaN while the stores cannot be queried (starting, rebalancing). */
  public double count() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return Double.NaN;
    }
    try {
      ReadOnlyKeyValueStore<String, String> index =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  CoordinatorTopology.INDEX_STORE,
                  QueryableStoreTypes.<String, String>keyValueStore()));
      long count = 0;
      try (var it =
          index.prefixScan(RunRecords.indexPrefix(RunStatus.RUNNING), new StringSerializer())) {
        while (it.hasNext()) {
          it.next();
          count++;
        }
      }
      return count;
    } catch (InvalidStateStoreException e) {
      return Double.NaN;
    }
  }
}

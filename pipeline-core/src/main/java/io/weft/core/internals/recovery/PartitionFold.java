package io.weft.core.internals.recovery;

import io.weft.core.internals.coordinator.EventApplier;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fold of one partition of the event log: every run's state is the fold of its events (the
 * coordinator writes them in the same transactions as its state and dispatches). A run's events are
 * all in one partition, so one partition's fold holds whole runs, and is dropped once they are
 * written.
 *
 * <p>A run whose first event ({@code RunStarted}, sequence 0) is not in the partition, because the
 * topic's retention deleted the start of its history, has no state to fold its later events into
 * ({@link EventApplier} ignores them): it is skipped, not rebuilt half-way, and counted.
 */
public final class PartitionFold {

  private final Map<String, RunState> runs = new LinkedHashMap<>();
  private final Set<String> withoutStart = new HashSet<>();
  private long events;

  /** Folds one event into its run's state. */
  public void apply(RunEvent event) {
    RunState folded = EventApplier.apply(runs.get(event.getRunId()), event);
    if (folded != null) {
      runs.put(event.getRunId(), folded);
    } else {
      withoutStart.add(event.getRunId());
    }
    events++;
  }

  /** The states of the runs folded so far, in the order of their first events. */
  public Collection<RunState> runs() {
    return Collections.unmodifiableCollection(runs.values());
  }

  /**
   * The runs whose events were read without their start, and that did not start again later (an id
   * reused after its run's state was deleted): they cannot be rebuilt.
   */
  public Set<String> skippedRuns() {
    Set<String> skipped = new HashSet<>(withoutStart);
    skipped.removeAll(runs.keySet());
    return skipped;
  }

  public long eventsRead() {
    return events;
  }
}

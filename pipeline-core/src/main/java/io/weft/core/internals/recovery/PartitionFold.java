package io.weft.core.internals.recovery;

import io.weft.core.internals.coordinator.EventApplier;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fold of one partition of the event log: every run's state is the fold of its events (the
 * coordinator writes them in the same transactions as its state and dispatches). A run's events are
 * all in one partition, so one partition's fold holds whole runs, and is dropped once they are
 * written.
 */
public final class PartitionFold {

  private final Map<String, RunState> runs = new LinkedHashMap<>();
  private long events;

  /** Folds one event into its run's state. */
  public void apply(RunEvent event) {
    RunState folded = EventApplier.apply(runs.get(event.getRunId()), event);
    if (folded != null) {
      runs.put(event.getRunId(), folded);
    }
    events++;
  }

  /** The states of the runs folded so far, in the order of their first events. */
  public Collection<RunState> runs() {
    return Collections.unmodifiableCollection(runs.values());
  }

  public long eventsRead() {
    return events;
  }
}

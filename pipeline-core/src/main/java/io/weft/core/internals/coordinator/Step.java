package io.weft.core.internals.coordinator;

import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.tasks.TaskRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What the coordinator does in answer to one input: the run's new state, the events to append, the
 * task requests to dispatch, the timers to set and those to drop. Written in one transaction.
 */
public final class Step {

  private RunState state;
  private final List<RunEvent> events = new ArrayList<>();
  private final List<TaskRequest> requests = new ArrayList<>();
  private final List<Timer> timers = new ArrayList<>();
  private final List<Timer> dropped = new ArrayList<>();
  private String ignoredBecause;

  Step(RunState state) {
    this.state = state;
  }

  static Step ignored(RunState state, String reason) {
    Step step = new Step(state);
    step.ignoredBecause = reason;
    return step;
  }

  void append(RunEvent event) {
    events.add(event);
    state = EventApplier.apply(state, event);
  }

  void dispatch(TaskRequest request) {
    requests.add(request);
  }

  void set(Timer timer) {
    timers.add(timer);
  }

  /** Drops {@code timer}, which nothing needs any more (its attempt ended); if it is set. */
  void drop(Timer timer) {
    dropped.add(timer);
  }

  public RunState state() {
    return state;
  }

  public List<RunEvent> events() {
    return events;
  }

  public List<TaskRequest> requests() {
    return requests;
  }

  public List<Timer> timers() {
    return timers;
  }

  public List<Timer> droppedTimers() {
    return dropped;
  }

  /** Why the input changed nothing (a stale or duplicate input), or null if it did something. */
  public String ignoredBecause() {
    return ignoredBecause;
  }
}

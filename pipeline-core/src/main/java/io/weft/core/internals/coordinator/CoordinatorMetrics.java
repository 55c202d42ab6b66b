package io.weft.core.internals.coordinator;

import java.util.concurrent.atomic.AtomicLong;

/** Counts of what the coordinator did: events written, tasks dispatched, inputs ignored. */
public final class CoordinatorMetrics implements io.weft.core.api.CoordinatorStats {

  private final AtomicLong events = new AtomicLong();
  private final AtomicLong dispatched = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong internalErrors = new AtomicLong();
  private final AtomicLong rerouted = new AtomicLong();
  private final AtomicLong tooLarge = new AtomicLong();

  void applied(Step step) {
    events.addAndGet(step.events().size());
    dispatched.addAndGet(step.requests().size());
  }

  void ignored(String reason) {
    ignored.incrementAndGet();
  }

  void setAside() {
    deadLettered.incrementAndGet();
  }

  void internalError() {
    internalErrors.incrementAndGet();
  }

  void reroutedOne() {
    rerouted.incrementAndGet();
  }

  void failedTooLarge() {
    tooLarge.incrementAndGet();
  }

  /** Run events written. */
  @Override
  public long events() {
    return events.get();
  }

  /** Task attempts dispatched. */
  @Override
  public long dispatched() {
    return dispatched.get();
  }

  /** Stale or duplicate inputs that changed nothing (old attempts, finished tasks or runs). */
  @Override
  public long ignored() {
    return ignored.get();
  }

  /** Records set aside on the dead-letter topic. */
  @Override
  public long deadLettered() {
    return deadLettered.get();
  }

  /** Runs failed with weft.InternalError because processing one of their inputs threw. */
  @Override
  public long internalErrors() {
    return internalErrors.get();
  }

  /** Inputs found on another partition than their run's, and sent on to it. */
  @Override
  public long rerouted() {
    return rerouted.get();
  }

  /** Runs failed with weft.TooLarge because their state would have passed the record limit. */
  @Override
  public long tooLarge() {
    return tooLarge.get();
  }
}

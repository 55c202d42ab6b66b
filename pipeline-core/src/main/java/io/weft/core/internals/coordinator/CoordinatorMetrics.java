package io.weft.core.internals.coordinator;

import static io.weft.core.metrics.WeftMeters.COORDINATOR_DEAD_LETTERS;
import static io.weft.core.metrics.WeftMeters.DISPATCHES;
import static io.weft.core.metrics.WeftMeters.DISPATCH_HOP;
import static io.weft.core.metrics.WeftMeters.EVENTS;
import static io.weft.core.metrics.WeftMeters.INTERNAL_ERRORS;
import static io.weft.core.metrics.WeftMeters.REROUTED;
import static io.weft.core.metrics.WeftMeters.RUNS_CANCELLED;
import static io.weft.core.metrics.WeftMeters.RUNS_FAILED;
import static io.weft.core.metrics.WeftMeters.RUNS_STARTED;
import static io.weft.core.metrics.WeftMeters.RUNS_SUCCEEDED;
import static io.weft.core.metrics.WeftMeters.RUNS_TOO_LARGE;
import static io.weft.core.metrics.WeftMeters.RUN_DURATION;
import static io.weft.core.metrics.WeftMeters.STALE_INPUTS;
import static io.weft.core.metrics.WeftMeters.TIMERS_DUE;
import static io.weft.core.metrics.WeftMeters.TIMER_LATENESS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.core.metrics.WeftMeter;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the coordinator did, as meters of its registry ({@code weft_runs_*}, {@code
 * weft_task_dispatches_total}, ...; see {@code docs/metrics.md}), and as the counts of {@link
 * io.weft.core.api.CoordinatorStats}. Called by the stream threads; per-tag meters are cached.
 */
public final class CoordinatorMetrics implements io.weft.core.api.CoordinatorStats {

  private final MeterRegistry registry;
  private final Counter events;
  private final Counter ignored;
  private final Counter deadLettered;
  private final Counter internalErrors;
  private final Counter rerouted;
  private final Counter tooLarge;
  private final io.micrometer.core.instrument.Timer hop;
  private final io.micrometer.core.instrument.Timer lateness;
  private final AtomicLong dispatched = new AtomicLong();
  private final AtomicLong timersDue = new AtomicLong();
  private final Map<WeftMeter, Map<String, Counter>> byTag = new ConcurrentHashMap<>();
  private final Map<List<String>, io.micrometer.core.instrument.Timer> durations =
      new ConcurrentHashMap<>();

  /** Meters in a registry of their own, read through {@link io.weft.core.api.CoordinatorStats}. */
  public CoordinatorMetrics() {
    this(new SimpleMeterRegistry());
  }

  public CoordinatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.events = EVENTS.counter(registry);
    this.ignored = STALE_INPUTS.counter(registry);
    this.deadLettered = COORDINATOR_DEAD_LETTERS.counter(registry);
    this.internalErrors = INTERNAL_ERRORS.counter(registry);
    this.rerouted = REROUTED.counter(registry);
    this.tooLarge = RUNS_TOO_LARGE.counter(registry);
    this.hop = DISPATCH_HOP.timer(registry);
    this.lateness = TIMER_LATENESS.timer(registry);
    TIMERS_DUE.gauge(registry, timersDue, AtomicLong::get);
  }

  /**
   * Counts a step written: its events (runs started and ended, with the ended runs' durations) and
   * its dispatches.
   *
   * @param inputTimestampMs the timestamp of the record the step decided on, or -1 for a timer
   */
  void applied(Step step, long inputTimestampMs, Instant now) {
    events.increment(step.events().size());
    for (RunEvent event : step.events()) {
      Object body = event.getEvent();
      RunState state = step.state();
      String workflow = state == null ? "" : state.getWorkflowName();
      if (body instanceof RunStarted started) {
        counter(RUNS_STARTED, started.getWorkflowName()).increment();
      } else if (body instanceof RunSucceeded) {
        ended(RUNS_SUCCEEDED, workflow, "succeeded", state);
      } else if (body instanceof RunFailed) {
        ended(RUNS_FAILED, workflow, "failed", state);
      } else if (body instanceof RunCancelled) {
        ended(RUNS_CANCELLED, workflow, "cancelled", state);
      }
    }
    for (TaskRequest request : step.requests()) {
      counter(DISPATCHES, request.getType()).increment();
    }
    dispatched.addAndGet(step.requests().size());
    if (!step.requests().isEmpty() && inputTimestampMs >= 0) {
      hop.record(Duration.ofMillis(Math.max(0, now.toEpochMilli() - inputTimestampMs)));
    }
  }

  private void ended(WeftMeter meter, String workflow, String status, RunState state) {
    counter(meter, workflow).increment();
    if (state != null && state.getStartedAt() != null && state.getFinishedAt() != null) {
      durations
          .computeIfAbsent(
              List.of(workflow, status), k -> RUN_DURATION.timer(registry, workflow, status))
          .record(Duration.between(state.getStartedAt(), state.getFinishedAt()));
    }
  }

  private Counter counter(WeftMeter meter, String tag) {
    return byTag
        .computeIfAbsent(meter, m -> new ConcurrentHashMap<>())
        .computeIfAbsent(tag, t -> meter.counter(registry, t));
  }

  /** Counts a punctuation that found {@code due} timers. */
  void timersDue(int due) {
    timersDue.set(due);
  }

  /** Records how late a timer due at {@code at} fired, at {@code now}. */
  void timerFired(Instant at, Instant now) {
    lateness.record(
        Duration.between(at, now).isNegative() ? Duration.ZERO : Duration.between(at, now));
  }

  void ignored(String reason) {
    ignored.increment();
  }

  void setAside() {
    deadLettered.increment();
  }

  void internalError() {
    internalErrors.increment();
  }

  void reroutedOne() {
    rerouted.increment();
  }

  void failedTooLarge() {
    tooLarge.increment();
  }

  /** Run events written. */
  @Override
  public long events() {
    return (long) events.count();
  }

  /** Task attempts dispatched. */
  @Override
  public long dispatched() {
    return dispatched.get();
  }

  /** Stale or duplicate inputs that changed nothing (old attempts, finished tasks or runs). */
  @Override
  public long ignored() {
    return (long) ignored.count();
  }

  /** Records set aside on the dead-letter topic. */
  @Override
  public long deadLettered() {
    return (long) deadLettered.count();
  }

  /** Runs failed with weft.InternalError because processing one of their inputs threw. */
  @Override
  public long internalErrors() {
    return (long) internalErrors.count();
  }

  /** Inputs found on another partition than their run's, and sent on to it. */
  @Override
  public long rerouted() {
    return (long) rerouted.count();
  }

  /** Runs failed with weft.TooLarge because their state would have passed the record limit. */
  @Override
  public long tooLarge() {
    return (long) tooLarge.count();
  }
}

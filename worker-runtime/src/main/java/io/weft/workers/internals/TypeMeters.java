package io.weft.workers.internals;

import static io.weft.core.metrics.WeftMeters.CONSUMER_LAG;
import static io.weft.core.metrics.WeftMeters.HANDLER_ALLOCATED;
import static io.weft.core.metrics.WeftMeters.HANDLER_CPU;
import static io.weft.core.metrics.WeftMeters.PROGRESS_REPORTS;
import static io.weft.core.metrics.WeftMeters.QUEUE_WAIT;
import static io.weft.core.metrics.WeftMeters.TASKS_FAILED;
import static io.weft.core.metrics.WeftMeters.TASKS_IN_FLIGHT;
import static io.weft.core.metrics.WeftMeters.TASKS_STARTED;
import static io.weft.core.metrics.WeftMeters.TASKS_SUCCEEDED;
import static io.weft.core.metrics.WeftMeters.TASKS_TIMED_OUT;
import static io.weft.core.metrics.WeftMeters.TASK_DURATION;
import static io.weft.core.metrics.WeftMeters.TRANSACTION_DURATION;
import static io.weft.core.metrics.WeftMeters.TRANSACTION_RESULTS;
import static io.weft.core.metrics.WeftMeters.WINDOW_FILL;
import static io.weft.core.metrics.WeftMeters.WORKER_DEAD_LETTERS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one task type on a worker ({@code weft_worker_*{type=...}}; see {@code
 * docs/metrics.md}). Attempts are counted on the poll thread when they start and on their handler's
 * thread when it returns; the gauges are set by the poll thread and read by the scraper.
 */
public final class TypeMeters {

  /** How an attempt's handler ended, the {@code outcome} tag of its duration. */
  enum Outcome {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Counter started;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter timedOut;
  private final Counter deadLetters;
  private final Counter progress;
  private final Timer[] durations = new Timer[Outcome.values().length];
  private final Timer queueWait;
  private final Timer transaction;
  private final Timer cpu;
  private final DistributionSummary results;
  private final DistributionSummary allocated;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lag = new AtomicLong();
  private volatile double windowFill;

  TypeMeters(MeterRegistry registry, String type) {
    started = TASKS_STARTED.counter(registry, type);
    succeeded = TASKS_SUCCEEDED.counter(registry, type);
    failed = TASKS_FAILED.counter(registry, type);
    timedOut = TASKS_TIMED_OUT.counter(registry, type);
    deadLetters = WORKER_DEAD_LETTERS.counter(registry, type);
    progress = PROGRESS_REPORTS.counter(registry, type);
    for (Outcome outcome : Outcome.values()) {
      durations[outcome.ordinal()] = TASK_DURATION.timer(registry, type, outcome.tag());
    }
    queueWait = QUEUE_WAIT.timer(registry, type);
    transaction = TRANSACTION_DURATION.timer(registry, type);
    cpu = HANDLER_CPU.timer(registry, type);
    results = TRANSACTION_RESULTS.summary(registry, type);
    allocated = HANDLER_ALLOCATED.summary(registry, type);
    TASKS_IN_FLIGHT.gauge(registry, inFlight, AtomicInteger::get, type);
    CONSUMER_LAG.gauge(registry, lag, AtomicLong::get, type);
    WINDOW_FILL.gauge(registry, this, meters -> meters.windowFill, type);
  }

  /** An attempt dispatched at {@code scheduledAt} starts at {@code now}. */
  void started(Instant scheduledAt, Instant now) {
    started.increment();
    inFlight.incrementAndGet();
    if (scheduledAt != null && !now.isBefore(scheduledAt)) {
      queueWait.record(Duration.between(scheduledAt, now));
    }
  }

  /** An attempt's handler returned (or threw), on its thread. */
  void finished(Outcome outcome, long nanos, long cpuNanos, long allocatedBytes) {
    inFlight.decrementAndGet();
    switch (outcome) {
      case SUCCEEDED -> succeeded.increment();
      case TIMED_OUT -> timedOut.increment();
      default -> failed.increment();
    }
    durations[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    if (cpuNanos >= 0) {
      cpu.record(cpuNanos, TimeUnit.NANOSECONDS);
    }
    if (allocatedBytes >= 0) {
      allocated.record(allocatedBytes);
    }
  }

  /** A transaction with {@code resultCount} results committed in {@code nanos}. */
  void committed(int resultCount, long nanos) {
    transaction.record(nanos, TimeUnit.NANOSECONDS);
    results.record(resultCount);
  }

  /** A handler reported progress; on its thread. */
  void progressed() {
    progress.increment();
  }

  void deadLettered() {
    deadLetters.increment();
  }

  /** The poll thread's view: requests not yet read, and how full the windows are. */
  void loop(long recordsBehind, double fill) {
    lag.set(recordsBehind);
    windowFill = fill;
  }
}

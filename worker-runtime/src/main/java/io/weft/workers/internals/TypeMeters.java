package io.weft.workers.internals;

import static io.weft.core.metrics.WeftMeters.CONSUMER_LAG;
import static io.weft.core.metrics.WeftMeters.HANDLER_ALLOCATED;
import static io.weft.core.metrics.WeftMeters.HANDLER_CPU;
import static io.weft.core.metrics.WeftMeters.PROGRAM_PEAK_MEMORY;
import static io.weft.core.metrics.WeftMeters.PROGRESS_REPORTS;
import static io.weft.core.metrics.WeftMeters.QUEUE_WAIT;
import static io.weft.core.metrics.WeftMeters.SLOTS_NEEDED;
import static io.weft.core.metrics.WeftMeters.TASKS_FAILED;
import static io.weft.core.metrics.WeftMeters.TASKS_HELD;
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
import io.weft.core.metrics.ScalingAdvice;
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
  private final DistributionSummary programPeak;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lag = new AtomicLong();
  private volatile double windowFill;
  private volatile double slotsNeeded;
  private volatile int held;
  // the poll thread's estimate of recent starts per second, and the handlers' of recent durations
  private double startsPerSecond = Double.NaN;
  private double lastStarted;
  private long lastNanos;
  private double meanSeconds = Double.NaN;

  /**
   * Weight of the newest value in the moving averages: starts over ~a minute, the last ~10
   * durations.
   */
  private static final double STARTS_WINDOW_SECONDS = 60;

  private static final double DURATION_WEIGHT = 0.1;

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
    programPeak = PROGRAM_PEAK_MEMORY.summary(registry, type);
    TASKS_IN_FLIGHT.gauge(registry, inFlight, AtomicInteger::get, type);
    CONSUMER_LAG.gauge(registry, lag, AtomicLong::get, type);
    WINDOW_FILL.gauge(registry, this, meters -> meters.windowFill, type);
    SLOTS_NEEDED.gauge(registry, this, meters -> meters.slotsNeeded, type);
    TASKS_HELD.gauge(registry, this, meters -> meters.held, type);
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
    synchronized (this) {
      double seconds = nanos / 1e9;
      meanSeconds =
          Double.isNaN(meanSeconds)
              ? seconds
              : meanSeconds + DURATION_WEIGHT * (seconds - meanSeconds);
    }
    if (cpuNanos >= 0) {
      cpu.record(cpuNanos, TimeUnit.NANOSECONDS);
    }
    if (allocatedBytes >= 0) {
      allocated.record(allocatedBytes);
    }
  }

  /** The peak memory of the program an attempt ran (exec tasks). */
  void programPeak(long bytes) {
    programPeak.record(bytes);
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

  /**
   * The poll thread's view at {@code nowNanos}: requests not yet read, how full the windows are,
   * how many wait for resources, and so the slots this worker's share of the type needs.
   */
  void loop(long recordsBehind, double fill, int heldNow, long nowNanos) {
    lag.set(recordsBehind);
    windowFill = fill;
    held = heldNow;
    double startedNow = started.count();
    if (lastNanos != 0 && nowNanos > lastNanos) {
      double seconds = (nowNanos - lastNanos) / 1e9;
      double rate = (startedNow - lastStarted) / seconds;
      startsPerSecond =
          Double.isNaN(startsPerSecond)
              ? rate
              : startsPerSecond
                  + (1 - Math.exp(-seconds / STARTS_WINDOW_SECONDS)) * (rate - startsPerSecond);
    }
    lastStarted = startedNow;
    lastNanos = nowNanos;
    double mean;
    synchronized (this) {
      mean = meanSeconds;
    }
    slotsNeeded =
        new ScalingAdvice(
                recordsBehind,
                Double.isNaN(startsPerSecond) ? 0 : startsPerSecond,
                mean,
                Integer.MAX_VALUE)
            .slotsOrOne(ScalingAdvice.DEFAULT_DRAIN_SECONDS);
  }
}

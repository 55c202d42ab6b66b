package io.weft.benchmarks;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An open-loop load: runs of one workflow started at a fixed rate on a thread of its own, whatever
 * the engine does with them, until closed.
 */
final class BackgroundLoad implements AutoCloseable {

  private final ScheduledExecutorService scheduler;
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private BackgroundLoad(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Starts {@code runsPerSecond} runs of {@code workflow} a second, evenly spaced. */
  static BackgroundLoad start(RunStarter starter, String workflow, double runsPerSecond) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "bench-background-load");
              thread.setDaemon(true);
              return thread;
            });
    BackgroundLoad load = new BackgroundLoad(scheduler);
    long periodMicros = Math.max(1, Math.round(1_000_000 / Math.max(runsPerSecond, 0.01)));
    scheduler.scheduleAtFixedRate(
        () -> {
          try {
            starter.start(RunStarter.newRunId(), workflow);
          } catch (RuntimeException e) {
            load.failure.compareAndSet(null, e);
            throw e;
          }
        },
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);
    return load;
  }

  /** Throws if starting a run failed. */
  void check() {
    RuntimeException e = failure.get();
    if (e != null) {
      throw new IllegalStateException("The background load failed: " + e, e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdownNow();
    scheduler.awaitTermination(10, TimeUnit.SECONDS);
  }
}

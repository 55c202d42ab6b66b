package io.weft.benchmarks;

import io.weft.schemas.events.TaskSucceeded;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An open-loop load of one workflow at a fixed rate ({@link BackgroundLoad}) while a setting is
 * turned off and on in turn, in the order off, on, on, off, off, on, ... so that a drift weighs on
 * both alike: each window lets a settling time pass (the tasks dispatched under the previous
 * setting finish), then counts the tasks done and the harness JVM's CPU time. At a fixed rate the
 * engine batches alike in every window, so the CPU a task takes compares the settings; the closed
 * loop's throughput, whose batching feeds on itself, swings by more than that from window to window
 * with the same setting.
 */
final class FixedRateWindows {

  /**
   * One window: the setting, tasks/s, the harness JVM's CPU time per task, and that of each group
   * of its threads ({@link ThreadCpu}).
   */
  record Window(
      boolean on,
      double tasksPerSecond,
      double cpuMicrosPerTask,
      Map<String, Double> cpuMicrosPerTaskByThreads) {}

  /** The windows, in the order they ran. */
  record Alternation(List<Window> windows) {

    /** The mean CPU per task of the windows with the setting {@code on}, in microseconds. */
    double cpuMicrosPerTask(boolean on) {
      return windows.stream()
          .filter(w -> w.on() == on)
          .mapToDouble(Window::cpuMicrosPerTask)
          .average()
          .orElse(Double.NaN);
    }

    /**
     * What the setting adds to each group of threads' CPU per task (mean of the windows on minus
     * that of the windows off), in microseconds; a group missing from a window counts as zero.
     */
    Map<String, Double> addedByThreads() {
      Map<String, Double> added = new TreeMap<>(byThreads(true));
      byThreads(false).forEach((group, micros) -> added.merge(group, -micros, Double::sum));
      return added;
    }

    /**
     * Each group of threads' mean CPU per task over the windows with the setting {@code on}, in
     * microseconds; a group missing from a window counts as zero there.
     */
    Map<String, Double> byThreads(boolean on) {
      List<Window> chosen = windows.stream().filter(w -> w.on() == on).toList();
      Map<String, Double> mean = new TreeMap<>();
      for (Window window : chosen) {
        window
            .cpuMicrosPerTaskByThreads()
            .forEach((group, micros) -> mean.merge(group, micros / chosen.size(), Double::sum));
      }
      return mean;
    }

    /** The CPU per task with the setting on over that with it off. */
    double cpuRatio() {
      return cpuMicrosPerTask(true) / cpuMicrosPerTask(false);
    }

    /** The mean tasks/s of all windows: the offered rate, if the engine kept up. */
    double tasksPerSecond() {
      return windows.stream().mapToDouble(Window::tasksPerSecond).average().orElse(Double.NaN);
    }
  }

  private FixedRateWindows() {}

  /** Runs the windows; leaves the setting off. */
  static Alternation run(
      WeftInstallation installation,
      String workflow,
      double runsPerSecond,
      Duration warmUp,
      Duration settle,
      Duration window,
      int pairs,
      Consumer<Boolean> setting)
      throws Exception {
    AtomicLong tasks = new AtomicLong();
    List<Window> windows = new ArrayList<>();
    setting.accept(false);
    try (RunStarter starter = new RunStarter(installation);
        EventTap tap =
            EventTap.start(
                installation,
                (event, timestamp, nanos) -> {
                  if (event.getEvent() instanceof TaskSucceeded) {
                    tasks.incrementAndGet();
                  }
                });
        BackgroundLoad load = BackgroundLoad.start(starter, workflow, runsPerSecond)) {
      TimeUnit.NANOSECONDS.sleep(warmUp.toNanos());
      for (int i = 0; i < 2 * pairs; i++) {
        boolean on = i % 4 == 1 || i % 4 == 2;
        setting.accept(on);
        TimeUnit.NANOSECONDS.sleep(settle.toNanos());
        long tasks0 = tasks.get();
        ThreadCpu.Snapshot threads0 = ThreadCpu.snapshot();
        long cpu0 = LogVolume.cpuNanos();
        long t0 = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(window.toNanos());
        long done = tasks.get() - tasks0;
        long cpu = LogVolume.cpuNanos() - cpu0;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> byThreads = new TreeMap<>();
        ThreadCpu.snapshot()
            .since(threads0)
            .forEach((group, nanos) -> byThreads.put(group, nanos / 1e3 / Math.max(1, done)));
        windows.add(new Window(on, done / elapsed, cpu / 1e3 / Math.max(1, done), byThreads));
      }
      load.check();
      tap.check();
    } finally {
      setting.accept(false);
    }
    return new Alternation(windows);
  }
}

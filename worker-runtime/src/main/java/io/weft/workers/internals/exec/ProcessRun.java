package io.weft.workers.internals.exec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Waits for a program to exit, stopping it when its attempt is cancelled or its deadline passes:
 * SIGTERM to the program and every process it started, then, after the grace period, SIGKILL to
 * whatever is still alive.
 */
public final class ProcessRun {

  private static final long POLL_MILLIS = 100;

  private final Process process;
  private final Duration grace;
  private final Clock clock;
  private String stopReason;
  private final ProcessUsage usage = new ProcessUsage();

  public ProcessRun(Process process, Duration grace, Clock clock) {
    this.process = process;
    this.grace = grace;
    this.clock = clock;
  }

  /**
   * The program's exit code, once it exited by itself or was stopped.
   *
   * @param cancelled whether the attempt was cancelled (checked every 100 ms)
   * @param deadline when the attempt times out
   */
  public int await(BooleanSupplier cancelled, Instant deadline) throws InterruptedException {
    try {
      usage.sample(process);
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        usage.sample(process);
        if (cancelled.getAsBoolean()) {
          stop("the attempt was cancelled");
        } else if (!clock.instant().isBefore(deadline)) {
          stop("the attempt's deadline " + deadline + " passed");
        }
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      stop("the worker is stopping");
      throw e;
    }
  }

  /** What the program's process tree used, as sampled while it ran. */
  public ProcessUsage usage() {
    return usage;
  }

  /** Why the program was stopped, or null if it exited by itself. */
  public String stopReason() {
    return stopReason;
  }

  private void stop(String reason) throws InterruptedException {
    stopReason = reason;
    List<ProcessHandle> tree =
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    tree.forEach(ProcessHandle::destroy);
    long graceMillis = grace.toMillis();
    if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
      tree.forEach(ProcessHandle::destroyForcibly);
      process.waitFor();
    } else {
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }
}

package io.weft.workers.internals.exec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final String token;
  private String stopReason;
  private final ProcessUsage usage = new ProcessUsage();

  /**
   * @param token the value of {@code WEFT_EXEC_TOKEN} in the program's environment, which the
   *     processes it starts inherit: how those it leaves behind are found once it has exited (they
   *     are no longer its descendants then); null to rely on the sampled process tree alone
   */
  public ProcessRun(Process process, Duration grace, Clock clock, String token) {
    this.process = process;
    this.token = token;
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

  /**
   * Stops what the program left running when it exited (processes it started in the background):
   * SIGTERM, then SIGKILL after the grace period. They hold its output open and would outlive the
   * attempt. Returns how many there were.
   */
  public int stopLeftovers() throws InterruptedException {
    Set<ProcessHandle> candidates = new HashSet<>(usage.seen());
    if (token != null) {
      candidates.addAll(Leftovers.withToken(token));
    }
    List<ProcessHandle> alive =
        candidates.stream().filter(h -> h.pid() != process.pid() && h.isAlive()).toList();
    terminate(alive);
    return alive.size();
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
    terminate(Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList());
    process.waitFor();
  }

  /** SIGTERM to each, then SIGKILL to those still alive after the grace period. */
  private void terminate(List<ProcessHandle> processes) throws InterruptedException {
    if (processes.isEmpty()) {
      return;
    }
    processes.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : processes) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          handle.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException stillAlive) {
          // killed below
        }
      }
    }
    processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}

package io.weft.workers.internals;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executor whose tasks run when the test says, on the test's thread. A task handed to it counts
 * as started: {@link #shutdownNow} leaves it to the test to finish, as a pool's running tasks go on
 * after {@code shutdownNow} (which only interrupts them).
 */
final class ManualExecutor extends AbstractExecutorService {

  private final Deque<Runnable> started = new ArrayDeque<>();
  private boolean shutdown;

  @Override
  public synchronized void execute(Runnable task) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    started.add(task);
  }

  /** Runs every task started so far to its end; how many. */
  int finishAll() {
    int count = 0;
    Runnable task;
    while ((task = next()) != null) {
      task.run();
      count++;
    }
    return count;
  }

  /** Runs the task started last to its end; whether there was one. */
  boolean finishLatest() {
    Runnable task;
    synchronized (this) {
      task = started.pollLast();
    }
    if (task == null) {
      return false;
    }
    task.run();
    return true;
  }

  /** Runs the task started first (of those not finished) to its end; whether there was one. */
  boolean finishOldest() {
    Runnable task = next();
    if (task == null) {
      return false;
    }
    task.run();
    return true;
  }

  /** How many tasks have started and not finished. */
  synchronized int running() {
    return started.size();
  }

  private synchronized Runnable next() {
    return started.poll();
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && started.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }
}

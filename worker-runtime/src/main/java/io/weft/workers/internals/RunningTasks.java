package io.weft.workers.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts running in this worker, by run id, so that a stopped run's attempts can be told to
 * stop. It also remembers the runs stopped recently, so that an attempt of such a run that starts
 * afterwards (its request was already queued) starts cancelled. Thread-safe.
 */
public final class RunningTasks {

  private static final int REMEMBERED_RUNS = 10_000;

  private final ConcurrentHashMap<String, Set<TaskContextImpl>> byRun = new ConcurrentHashMap<>();
  private final Map<String, Boolean> stoppedRuns =
      new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_RUNS;
        }
      };

  /** Registers a starting attempt; it starts cancelled if its run was stopped already. */
  public void add(TaskContextImpl context) {
    byRun.compute(
        context.runId(),
        (runId, contexts) -> {
          Set<TaskContextImpl> set = contexts == null ? ConcurrentHashMap.newKeySet() : contexts;
          set.add(context);
          return set;
        });
    if (wasStopped(context.runId())) {
      context.cancel(CancelReason.RUN_STOPPED);
    }
  }

  /** Forgets a finished or abandoned attempt. */
  public void remove(TaskContextImpl context) {
    byRun.computeIfPresent(
        context.runId(),
        (runId, contexts) -> {
          contexts.remove(context);
          return contexts.isEmpty() ? null : contexts;
        });
  }

  /** The coordinator stopped {@code runId}: cancels its running attempts. Returns how many. */
  public int runStopped(String runId) {
    synchronized (stoppedRuns) {
      stoppedRuns.put(runId, Boolean.TRUE);
    }
    Set<TaskContextImpl> contexts = byRun.get(runId);
    if (contexts == null) {
      return 0;
    }
    contexts.forEach(c -> c.cancel(CancelReason.RUN_STOPPED));
    return contexts.size();
  }

  /**
   * The coordinator timed out attempt {@code attempt} of {@code taskId}: cancels it if it runs
   * here. Returns whether it did.
   */
  public boolean attemptTimedOut(String runId, String taskId, int attempt) {
    Set<TaskContextImpl> contexts = byRun.get(runId);
    if (contexts == null) {
      return false;
    }
    boolean found = false;
    for (TaskContextImpl context : contexts) {
      if (context.taskId().equals(taskId) && context.attempt() == attempt) {
        context.cancel(CancelReason.TIMED_OUT);
        found = true;
      }
    }
    return found;
  }

  private boolean wasStopped(String runId) {
    synchronized (stoppedRuns) {
      return stoppedRuns.containsKey(runId);
    }
  }
}

package io.weft.workers.internals;

import io.weft.schemas.results.TaskResult;
import java.util.HashMap;
import java.util.Map;

/**
 * The attempts that have a committed result on the results topic: for each task of a run, the
 * highest attempt with one. An attempt at or below it is done: its own result committed, or that of
 * a later attempt, which the coordinator dispatched only after this one had ended. Immutable.
 */
final class DoneAttempts {

  /** No attempt has a result (an empty results topic). */
  static final DoneAttempts NONE = new DoneAttempts(Map.of(), 0);

  private final Map<RunTask, Integer> highest;
  private final long results;

  private DoneAttempts(Map<RunTask, Integer> highest, long results) {
    this.highest = highest;
    this.results = results;
  }

  /**
   * Whether {@code attempt} of {@code taskId} of {@code runId}, or a later attempt, has a result.
   */
  boolean covers(String runId, String taskId, int attempt) {
    Integer last = highest.get(new RunTask(runId, taskId));
    return last != null && last >= attempt;
  }

  /** How many tasks have a result. */
  int tasks() {
    return highest.size();
  }

  /** How many results were read (several per task if retried or reported twice). */
  long results() {
    return results;
  }

  @Override
  public String toString() {
    return results + " results of " + highest.size() + " tasks";
  }

  static Builder builder() {
    return new Builder();
  }

  /** Collects results as they are read; one use. */
  static final class Builder {

    private final Map<RunTask, Integer> highest = new HashMap<>();
    private long results;

    Builder add(TaskResult result) {
      return add(result.getRunId(), result.getTaskId(), result.getAttempt());
    }

    Builder add(String runId, String taskId, int attempt) {
      highest.merge(new RunTask(runId, taskId), attempt, Math::max);
      results++;
      return this;
    }

    DoneAttempts build() {
      return results == 0 ? NONE : new DoneAttempts(Map.copyOf(highest), results);
    }
  }

  private record RunTask(String runId, String taskId) {}
}

package io.weft.workers.internals;

import io.weft.schemas.results.TaskResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attempts that have a committed result on the results topic, by task of a run, with when each
 * finished. A request's attempt is done if it, or a later attempt of its task (which the
 * coordinator dispatched only after this one had ended), has a result that finished after the
 * request was dispatched: an older result belongs to an earlier run with the same id (a run's id
 * may be reused once the run is deleted). Immutable.
 */
final class DoneAttempts {

  /** No attempt has a result (an empty results topic). */
  static final DoneAttempts NONE = new DoneAttempts(Map.of(), 0);

  private final Map<RunTask, List<Done>> byTask;
  private final long results;

  private DoneAttempts(Map<RunTask, List<Done>> byTask, long results) {
    this.byTask = byTask;
    this.results = results;
  }

  /**
   * Whether {@code attempt} of {@code taskId} of {@code runId}, or a later attempt, has a result
   * that finished at or after {@code notBeforeMs} (epoch millis; {@link Long#MIN_VALUE}: whenever).
   */
  boolean covers(String runId, String taskId, int attempt, long notBeforeMs) {
    for (Done done : byTask.getOrDefault(new RunTask(runId, taskId), List.of())) {
      if (done.attempt() >= attempt && done.finishedAtMs() >= notBeforeMs) {
        return true;
      }
    }
    return false;
  }

  /** How many tasks have a result. */
  int tasks() {
    return byTask.size();
  }

  /** How many results were read (several per task if retried or reported twice). */
  long results() {
    return results;
  }

  @Override
  public String toString() {
    return results + " results of " + byTask.size() + " tasks";
  }

  static Builder builder() {
    return new Builder();
  }

  /** Collects results as they are read; one use. */
  static final class Builder {

    private final Map<RunTask, List<Done>> byTask = new HashMap<>();
    private long results;

    Builder add(TaskResult result) {
      return add(
          result.getRunId(),
          result.getTaskId(),
          result.getAttempt(),
          result.getFinishedAt().toEpochMilli());
    }

    /** A result of {@code attempt} of {@code taskId} of {@code runId}, finished then. */
    Builder add(String runId, String taskId, int attempt, long finishedAtMs) {
      List<Done> done = byTask.computeIfAbsent(new RunTask(runId, taskId), k -> new ArrayList<>(1));
      done.add(new Done(attempt, finishedAtMs));
      results++;
      return this;
    }

    DoneAttempts build() {
      return results == 0 ? NONE : new DoneAttempts(byTask, results);
    }
  }

  private record RunTask(String runId, String taskId) {}

  private record Done(int attempt, long finishedAtMs) {}
}

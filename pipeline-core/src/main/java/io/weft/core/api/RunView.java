package io.weft.core.api;

import java.time.Instant;
import java.util.Map;

/**
 * A run as the coordinator sees it now: its status and every task's. Read through {@link
 * WeftClient#status(String)}.
 *
 * @param paused whether a {@code PauseRun} paused the run (its status is then RUNNING): it
 *     dispatches nothing new until a {@code ResumeRun}
 * @param tasks by task id; forEach children as {@code <id>[<index>]}; tasks that have not been
 *     reached yet are absent
 */
public record RunView(
    String runId,
    String workflowName,
    int workflowVersion,
    Status status,
    boolean paused,
    Instant startedAt,
    Instant finishedAt,
    String failedTaskId,
    String error,
    Map<String, TaskView> tasks) {

  /** Where a run stands. */
  public enum Status {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
      return this != RUNNING;
    }
  }

  public boolean isFinished() {
    return status.isFinal();
  }
}

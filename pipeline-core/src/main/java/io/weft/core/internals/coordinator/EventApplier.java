package io.weft.core.internals.coordinator;

import io.weft.schemas.common.TaskError;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunPaused;
import io.weft.schemas.events.RunResumed;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskFailed;
import io.weft.schemas.events.TaskRetrying;
import io.weft.schemas.events.TaskScheduled;
import io.weft.schemas.events.TaskSkipped;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.events.TaskTimedOut;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Set;

/**
 * Folds a run's events into its state: the only place run state changes. The coordinator applies
 * each event as it emits it, and recovery applies the event log in order, so both reach the same
 * state. Tasks without an entry are PENDING.
 */
public final class EventApplier {

  private static final Set<TaskStatus> IN_FLIGHT =
      Set.of(TaskStatus.SCHEDULED, TaskStatus.RUNNING, TaskStatus.RETRY_PENDING);

  private EventApplier() {}

  /** Applies {@code event} to {@code state} (null before RunStarted) and returns the state. */
  public static RunState apply(RunState state, RunEvent event) {
    Instant at = event.getTimestamp();
    Object e = event.getEvent();
    if (e instanceof RunStarted started) {
      state = started(event.getRunId(), started, at);
    } else if (state == null) {
      return null; // events of a run whose start is unknown carry no state
    } else if (e instanceof TaskScheduled scheduled) {
      scheduled(state, scheduled, at);
    } else if (e instanceof TaskStarted started) {
      TaskState task = task(state, started.getTaskId());
      task.setStatus(TaskStatus.RUNNING);
      task.setStartedAt(started.getStartedAt() == null ? at : started.getStartedAt());
      task.setWorkerId(started.getWorkerId());
      if (started.getDeadline() != null) {
        task.setDeadline(started.getDeadline());
      }
    } else if (e instanceof TaskSucceeded succeeded) {
      TaskState task = task(state, succeeded.getTaskId());
      if (TaskIds.isChild(succeeded.getTaskId()) && task.getStatus() != TaskStatus.SUCCEEDED) {
        TaskState parent = task(state, TaskIds.base(succeeded.getTaskId()));
        if (parent.getSucceededChildren() != null) {
          parent.setSucceededChildren(parent.getSucceededChildren() + 1);
        }
      }
      task.setStatus(TaskStatus.SUCCEEDED);
      task.setOutputs(new HashMap<>(succeeded.getOutputs()));
      task.setUsage(succeeded.getUsage());
      task.setWorkerId(succeeded.getWorkerId());
      task.setFinishedAt(at);
      task.setDeadline(null);
    } else if (e instanceof TaskFailed failed) {
      TaskState task = task(state, failed.getTaskId());
      task.setError(failed.getError());
      if (failed.getLastAttempt()) {
        task.setStatus(TaskStatus.FAILED);
        task.setFinishedAt(at);
        task.setDeadline(null);
      }
    } else if (e instanceof TaskTimedOut timedOut) {
      task(state, timedOut.getTaskId())
          .setError(
              new TaskError(
                  "weft.TaskTimedOut",
                  "attempt "
                      + timedOut.getAttempt()
                      + " timed out after "
                      + timedOut.getTimeoutMs()
                      + " ms",
                  true));
    } else if (e instanceof TaskRetrying retrying) {
      retrying(state, retrying);
    } else if (e instanceof TaskSkipped skipped) {
      TaskState task = task(state, skipped.getTaskId());
      task.setStatus(TaskStatus.SKIPPED);
      task.setFinishedAt(at);
    } else if (e instanceof RunSucceeded) {
      finish(state, RunStatus.SUCCEEDED, at);
    } else if (e instanceof RunFailed failed) {
      finish(state, RunStatus.FAILED, at);
      state.setError(failed.getError());
      state.setFailedTaskId(failed.getFailedTaskId());
    } else if (e instanceof RunCancelled) {
      finish(state, RunStatus.CANCELLED, at);
    } else if (e instanceof RunPaused) {
      state.setPaused(true);
    } else if (e instanceof RunResumed) {
      state.setPaused(false);
    }
    state.setNextSequence(event.getSequence() + 1);
    return state;
  }

  private static RunState started(String runId, RunStarted started, Instant at) {
    return RunState.newBuilder()
        .setRunId(runId)
        .setWorkflowName(started.getWorkflowName())
        .setWorkflowVersion(started.getWorkflowVersion())
        .setRunKey(started.getRunKey())
        .setParams(new HashMap<>(started.getParams()))
        .setStatus(RunStatus.RUNNING)
        .setTasks(new HashMap<>())
        .setStartedAt(at)
        .build();
  }

  private static void scheduled(RunState state, TaskScheduled scheduled, Instant at) {
    TaskState task = task(state, scheduled.getTaskId());
    task.setStatus(TaskStatus.SCHEDULED);
    task.setAttempt(scheduled.getAttempt());
    // until the attempt starts, only its queue timeout (if any) bounds it
    task.setDeadline(
        scheduled.getTimeoutFromStart() ? scheduled.getStartBy() : scheduled.getDeadline());
    task.setScheduledAt(at);
    task.setRetryAt(null);
    task.setStartedAt(null);
    task.setWorkerId(null);
    task.setItem(scheduled.getItem());
    if (scheduled.getFanOutSize() != null) {
      TaskState parent = task(state, TaskIds.base(scheduled.getTaskId()));
      if (parent.getChildren() == null) { // the fan-out's first child: none has succeeded
        parent.setSucceededChildren(0);
      }
      parent.setChildren(scheduled.getFanOutSize());
      if (parent.getStatus() != TaskStatus.RUNNING && parent.getStatus() != TaskStatus.SUCCEEDED) {
        parent.setStatus(TaskStatus.RUNNING);
        parent.setFinishedAt(null);
        if (parent.getScheduledAt() == null) {
          parent.setScheduledAt(at);
        }
      }
    }
  }

  private static void retrying(RunState state, TaskRetrying retrying) {
    TaskState task = task(state, retrying.getTaskId());
    if (task.getStatus() == TaskStatus.FAILED || task.getStatus() == TaskStatus.CANCELLED) {
      task.setRoundStart(retrying.getNextAttempt()); // a RetryRun: a fresh attempt budget
      task.setFinishedAt(null);
    }
    task.setStatus(TaskStatus.RETRY_PENDING);
    task.setRetryAt(retrying.getRetryAt());
    task.setDeadline(null);
    if (TaskIds.isChild(retrying.getTaskId())) {
      TaskState parent = task(state, TaskIds.base(retrying.getTaskId()));
      if (parent.getStatus() == TaskStatus.FAILED || parent.getStatus() == TaskStatus.CANCELLED) {
        parent.setStatus(TaskStatus.RUNNING);
        parent.setFinishedAt(null);
      }
    }
    if (state.getStatus() != RunStatus.RUNNING) {
      state.setStatus(RunStatus.RUNNING);
      state.setFinishedAt(null);
      state.setError(null);
      state.setFailedTaskId(null);
    }
  }

  private static void finish(RunState state, RunStatus status, Instant at) {
    state.setStatus(status);
    state.setPaused(false);
    state.setFinishedAt(at);
    for (TaskState task : state.getTasks().values()) {
      if (IN_FLIGHT.contains(task.getStatus())) {
        task.setStatus(TaskStatus.CANCELLED);
        task.setFinishedAt(at);
        task.setDeadline(null);
        task.setRetryAt(null);
      }
    }
  }

  /** The task's state, created PENDING if it has none yet. */
  static TaskState task(RunState state, String taskId) {
    return state.getTasks().computeIfAbsent(taskId, id -> TaskState.newBuilder().build());
  }
}

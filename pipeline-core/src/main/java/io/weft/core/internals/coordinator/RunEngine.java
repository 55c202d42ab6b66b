package io.weft.core.internals.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.definition.DefinitionCodec;
import io.weft.schemas.commands.CancelRun;
import io.weft.schemas.commands.PauseRun;
import io.weft.schemas.commands.ResumeRun;
import io.weft.schemas.commands.RetryRun;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunPaused;
import io.weft.schemas.events.RunResumed;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.TaskProgressed;
import io.weft.schemas.events.TaskRetrying;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.events.TaskTimedOut;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.results.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's decisions: for each input (a command, a worker's report, a due timer) and the
 * run's current state, the {@link Step} to take. Pure: no Kafka, no clock of its own.
 */
public class RunEngine { // not final: tests inject failures into processing

  /** The largest record the coordinator writes by default (a run's state, an event, a request). */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

  private final Duration defaultTimeout;
  private final int maxRecordBytes;

  public RunEngine(Duration defaultTimeout) {
    this(defaultTimeout, DEFAULT_MAX_RECORD_BYTES);
  }

  /**
   * @param defaultTimeout the timeout of a task attempt whose definition sets none
   * @param maxRecordBytes the largest task request or fan-in output the engine makes; a task whose
   *     request or aggregated outputs would be larger fails with {@code weft.TooLarge}
   */
  public RunEngine(Duration defaultTimeout, int maxRecordBytes) {
    this.defaultTimeout = defaultTimeout;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The largest record the engine makes. */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  private RunContext context(WorkflowDefinition definition, Step step, Instant now) {
    return new RunContext(definition, step, now, defaultTimeout, maxRecordBytes);
  }

  /** Starts a run of {@code definition} (null if the workflow is not registered). */
  public Step start(
      StartRun command, WorkflowDefinition definition, RunState existing, Instant now) {
    if (existing != null) {
      return Step.ignored(existing, "run " + command.getRunId() + " exists already");
    }
    Step step = new Step(null);
    int version =
        definition != null
            ? definition.version()
            : command.getWorkflowVersion() == null ? 0 : command.getWorkflowVersion();
    Map<String, JsonNode> overrides = DefinitionCodec.fromJsonTexts(command.getParams());
    Map<String, JsonNode> params =
        new LinkedHashMap<>(definition == null ? Map.of() : definition.params());
    params.putAll(overrides);
    RunContext ctx = context(definition, step, now);
    step.append(
        new io.weft.schemas.events.RunEvent(
            command.getRunId(),
            0L,
            now,
            new RunStarted(
                command.getWorkflowName(),
                version,
                DefinitionCodec.toJsonTexts(params),
                command.getRunKey())));
    if (definition == null) {
      String which =
          command.getWorkflowName()
              + (command.getWorkflowVersion() == null
                  ? ""
                  : " version " + command.getWorkflowVersion());
      ctx.emit(
          new RunFailed(
              null,
              new TaskError(
                  "weft.UnknownWorkflow", "workflow " + which + " is not registered", false)));
      return step;
    }
    var unknown =
        overrides.keySet().stream()
            .filter(k -> !definition.params().containsKey(k))
            .sorted()
            .toList();
    if (!unknown.isEmpty()) {
      ctx.emit(
          new RunFailed(
              null,
              new TaskError(
                  "weft.InvalidParams",
                  "unknown parameters "
                      + unknown
                      + "; "
                      + definition.key()
                      + " declares "
                      + definition.params().keySet(),
                  false)));
      return step;
    }
    Progression.advance(ctx);
    return step;
  }

  public Step cancel(
      CancelRun command, WorkflowDefinition definition, RunState state, Instant now) {
    if (state == null || state.getStatus() != RunStatus.RUNNING) {
      return Step.ignored(state, "run " + command.getRunId() + " is not running");
    }
    Step step = new Step(state);
    context(definition, step, now).emit(new RunCancelled(command.getReason()));
    return step;
  }

  /**
   * Pauses a running run: from now on it plans nothing (ready tasks stay PENDING, due retries stay
   * RETRY_PENDING); dispatched attempts run on, and their results are applied as usual.
   */
  public Step pause(PauseRun command, WorkflowDefinition definition, RunState state, Instant now) {
    if (state == null || state.getStatus() != RunStatus.RUNNING || definition == null) {
      return Step.ignored(state, "run " + command.getRunId() + " is not running");
    }
    if (state.getPaused()) {
      return Step.ignored(state, "run " + command.getRunId() + " is paused already");
    }
    Step step = new Step(state);
    context(definition, step, now).emit(new RunPaused(command.getReason()));
    return step;
  }

  /**
   * Resumes a paused run: the retries that fell due while it was paused are dispatched, then every
   * ready task, as if the run had just moved on.
   */
  public Step resume(
      ResumeRun command, WorkflowDefinition definition, RunState state, Instant now) {
    if (state == null
        || state.getStatus() != RunStatus.RUNNING
        || definition == null
        || !state.getPaused()) {
      return Step.ignored(state, "run " + command.getRunId() + " is not paused");
    }
    Step step = new Step(state);
    RunContext ctx = context(definition, step, now);
    List<String> dueRetries =
        state.getTasks().entrySet().stream()
            .filter(
                e ->
                    e.getValue().getStatus() == TaskStatus.RETRY_PENDING
                        && e.getValue().getRetryAt() != null
                        && !e.getValue().getRetryAt().isAfter(now))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    int held = dueRetries.size() + Readiness.ready(definition, state).size();
    ctx.emit(new RunResumed(held));
    for (String taskId : dueRetries) {
      if (Progression.running(ctx)) {
        retryNow(ctx, taskId, ctx.task(taskId));
      }
    }
    Progression.advance(ctx);
    return step;
  }

  /** Re-runs the failed and cancelled tasks of a failed run; tasks never run follow as usual. */
  public Step retry(RetryRun command, WorkflowDefinition definition, RunState state, Instant now) {
    if (state == null || state.getStatus() != RunStatus.FAILED || definition == null) {
      return Step.ignored(state, "run " + command.getRunId() + " has not failed");
    }
    Step step = new Step(state);
    RunContext ctx = context(definition, step, now);
    for (var entry : Map.copyOf(state.getTasks()).entrySet()) {
      TaskState task = entry.getValue();
      boolean fannedOutParent = task.getChildren() != null && !TaskIds.isChild(entry.getKey());
      if ((task.getStatus() == TaskStatus.FAILED || task.getStatus() == TaskStatus.CANCELLED)
          && !fannedOutParent) {
        int next = task.getAttempt() + 1;
        ctx.emit(new TaskRetrying(entry.getKey(), next, now, "retry of the run requested"));
        step.set(new Timer(now, state.getRunId(), entry.getKey(), next, Timer.Kind.RETRY));
      }
    }
    Progression.advance(ctx);
    return step;
  }

  public Step result(
      TaskResult result, WorkflowDefinition definition, RunState state, Instant now) {
    String stale = staleness(state, definition, result.getTaskId(), result.getAttempt());
    if (stale != null) {
      return Step.ignored(state, stale);
    }
    Step step = new Step(state);
    TaskState task = state.getTasks().get(result.getTaskId());
    if (task.getDeadline() != null) { // the attempt's timeout timer, armed when it started
      step.drop(
          new Timer(
              task.getDeadline(),
              state.getRunId(),
              result.getTaskId(),
              result.getAttempt(),
              Timer.Kind.TIMEOUT));
    }
    RunContext ctx = context(definition, step, now);
    markStarted(
        ctx,
        result.getTaskId(),
        result.getAttempt(),
        result.getWorkerId(),
        result.getStartedAt(),
        false);
    if (result.getStatus() == TaskOutcome.SUCCEEDED) {
      long millis = Duration.between(result.getStartedAt(), result.getFinishedAt()).toMillis();
      ctx.emit(
          new TaskSucceeded(
              result.getTaskId(),
              result.getAttempt(),
              result.getOutputs(),
              result.getMetrics(),
              result.getWorkerId(),
              millis,
              result.getUsage()));
    } else {
      TaskError error =
          result.getError() != null
              ? result.getError()
              : new TaskError(
                  "weft.TaskFailed", "the worker reported a failure without an error", true);
      ctx.attemptFailed(result.getTaskId(), error);
    }
    Progression.advance(ctx);
    return step;
  }

  public Step heartbeat(
      TaskHeartbeat heartbeat, WorkflowDefinition definition, RunState state, Instant now) {
    String stale = staleness(state, definition, heartbeat.getTaskId(), heartbeat.getAttempt());
    if (stale != null) {
      return Step.ignored(state, stale);
    }
    Step step = new Step(state);
    markStarted(
        context(definition, step, now),
        heartbeat.getTaskId(),
        heartbeat.getAttempt(),
        heartbeat.getWorkerId(),
        heartbeat.getStartedAt(),
        true);
    return step;
  }

  public Step progress(
      TaskProgress progress, WorkflowDefinition definition, RunState state, Instant now) {
    String stale = staleness(state, definition, progress.getTaskId(), progress.getAttempt());
    if (stale != null) {
      return Step.ignored(state, stale);
    }
    Step step = new Step(state);
    RunContext ctx = context(definition, step, now);
    markStarted(
        ctx, progress.getTaskId(), progress.getAttempt(), progress.getWorkerId(), null, true);
    ctx.emit(
        new TaskProgressed(
            progress.getTaskId(),
            progress.getAttempt(),
            progress.getStep(),
            progress.getTotalSteps(),
            progress.getMetrics(),
            progress.getMessage(),
            progress.getWorkerId()));
    return step;
  }

  /** A due timer: a deadline passed, or a retry is due. Timers overtaken by events do nothing. */
  public Step timer(Timer timer, WorkflowDefinition definition, RunState state, Instant now) {
    if (state == null || state.getStatus() != RunStatus.RUNNING || definition == null) {
      return Step.ignored(state, "timer of a finished run");
    }
    TaskState task = state.getTasks().get(timer.taskId());
    if (task == null) {
      return Step.ignored(state, "timer of an unknown task");
    }
    Step step = new Step(state);
    RunContext ctx = context(definition, step, now);
    if (timer.kind() == Timer.Kind.TIMEOUT) {
      boolean inFlight =
          task.getStatus() == TaskStatus.SCHEDULED || task.getStatus() == TaskStatus.RUNNING;
      if (!inFlight || task.getAttempt() != timer.attempt()) {
        return Step.ignored(state, "timeout of a finished attempt");
      }
      if (task.getDeadline() == null || timer.at().isBefore(task.getDeadline())) {
        return Step.ignored(state, "timeout overtaken: the attempt started, its deadline moved");
      }
      timedOut(ctx, timer, task);
    } else {
      if (task.getStatus() != TaskStatus.RETRY_PENDING
          || task.getAttempt() + 1 != timer.attempt()) {
        return Step.ignored(state, "retry no longer due");
      }
      if (state.getPaused()) {
        return Step.ignored(state, "retry held: the run is paused (ResumeRun dispatches it)");
      }
      retryNow(ctx, timer.taskId(), task);
    }
    Progression.advance(ctx);
    return step;
  }

  private static void retryNow(RunContext ctx, String taskId, TaskState task) {
    TaskDefinition def = ctx.definitionOf(taskId);
    if (task.getAttempt() == 0 && !TaskIds.isChild(taskId)) {
      Progression.plan(ctx, def); // never dispatched: plan it afresh (when, forEach)
    } else {
      ctx.schedule(
          taskId, task.getAttempt() + 1, RunContext.json(task.getItem()), fanOutSize(ctx, taskId));
    }
  }

  private static Integer fanOutSize(RunContext ctx, String taskId) {
    return TaskIds.isChild(taskId) ? ctx.task(TaskIds.base(taskId)).getChildren() : null;
  }

  /**
   * Records the start of an attempt on its first report. While it runs ({@code running}), its
   * timeout counts from now; an attempt that reports its result first needs no timer.
   */
  /**
   * Records that an attempt started, once: from its first heartbeat or progress report, or from its
   * result if it sent none. A running attempt's timeout counts from {@code startedAt} as the worker
   * reported it (null from older workers: now).
   */
  private static void markStarted(
      RunContext ctx,
      String taskId,
      int attempt,
      String workerId,
      Instant startedAt,
      boolean running) {
    if (ctx.task(taskId).getStatus() != TaskStatus.SCHEDULED) {
      return;
    }
    Instant deadline = null;
    if (running) {
      deadline = (startedAt == null ? ctx.now : startedAt).plus(ctx.timeoutOf(taskId));
      ctx.step.set(
          new Timer(deadline, ctx.state().getRunId(), taskId, attempt, Timer.Kind.TIMEOUT));
    }
    ctx.emit(new TaskStarted(taskId, attempt, workerId, deadline, startedAt));
  }

  private static void timedOut(RunContext ctx, Timer timer, TaskState task) {
    boolean beforeStart = task.getStatus() == TaskStatus.SCHEDULED;
    Instant from =
        beforeStart || task.getStartedAt() == null ? task.getScheduledAt() : task.getStartedAt();
    long timeoutMs = Duration.between(from, task.getDeadline()).toMillis();
    ctx.emit(new TaskTimedOut(timer.taskId(), timer.attempt(), timeoutMs, beforeStart));
    String what =
        beforeStart
            ? " was not started by a worker within " + timeoutMs + " ms (its queue timeout)"
            : " did not finish within " + timeoutMs + " ms of its start";
    ctx.attemptFailed(
        timer.taskId(),
        new TaskError("weft.TaskTimedOut", "attempt " + timer.attempt() + what, true));
  }

  /** Why a report about {@code taskId}/{@code attempt} is stale, or null if it is current. */
  private static String staleness(
      RunState state, WorkflowDefinition definition, String taskId, int attempt) {
    if (state == null || definition == null) {
      return "report for an unknown run";
    }
    if (state.getStatus() != RunStatus.RUNNING) {
      return "report for a finished run";
    }
    TaskState task = state.getTasks().get(taskId);
    if (task == null || task.getAttempt() != attempt) {
      return "report for attempt " + attempt + " of " + taskId + ", not the current one";
    }
    if (task.getStatus() != TaskStatus.SCHEDULED && task.getStatus() != TaskStatus.RUNNING) {
      return "report for " + taskId + ", which is " + task.getStatus();
    }
    return null;
  }
}

package io.weft.core.internals.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.OnFailure;
import io.weft.core.api.Retry;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.definition.DefinitionCodec;
import io.weft.core.internals.expr.ExpressionException;
import io.weft.core.internals.expr.Template;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.TaskFailed;
import io.weft.schemas.events.TaskRetrying;
import io.weft.schemas.events.TaskScheduled;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** One run, one input, one moment: emits events (applied at once) and dispatches attempts. */
final class RunContext {

  /** The error class of a task or run whose records would pass the size limit. */
  static final String TOO_LARGE = "weft.TooLarge";

  final WorkflowDefinition definition;
  final Step step;
  final Instant now;
  final Duration defaultTimeout;
  final int maxRecordBytes;

  RunContext(
      WorkflowDefinition definition,
      Step step,
      Instant now,
      Duration defaultTimeout,
      int maxRecordBytes) {
    this.definition = definition;
    this.step = step;
    this.now = now;
    this.defaultTimeout = defaultTimeout;
    this.maxRecordBytes = maxRecordBytes;
  }

  RunState state() {
    return step.state();
  }

  TaskState task(String taskId) {
    return EventApplier.task(state(), taskId);
  }

  TaskDefinition definitionOf(String taskId) {
    return definition
        .task(TaskIds.base(taskId))
        .orElseThrow(
            () -> new IllegalStateException("task " + taskId + " is not in " + definition.key()));
  }

  /** Appends an event of this run, numbered and applied to its state. */
  void emit(Object event) {
    RunState state = state();
    String runId = state.getRunId();
    step.append(new RunEvent(runId, state.getNextSequence(), now, event));
  }

  /** Dispatches {@code attempt} of {@code taskId}: the event, the request and its timeout. */
  void schedule(String taskId, int attempt, JsonNode item, Integer fanOutSize) {
    TaskDefinition def = definitionOf(taskId);
    Map<String, String> params;
    try {
      params = resolveParams(def, item);
    } catch (ExpressionException e) {
      failFanOutOrTask(taskId, item, new TaskError("weft.ParameterError", e.getMessage(), false));
      return;
    }
    // the timeout counts from the attempt's start (TaskStarted arms it); before that, the queue
    // timeout, if the task has one, bounds the wait for a worker
    Duration timeout = timeoutOf(taskId);
    Instant startBy = def.queueTimeout() == null ? null : now.plus(def.queueTimeout());
    Instant deadline = (startBy == null ? now : startBy).plus(timeout);
    String runId = state().getRunId();
    TaskRequest request =
        TaskRequest.newBuilder()
            .setRunId(runId)
            .setTaskId(taskId)
            .setAttempt(attempt)
            .setType(def.type())
            .setParams(params)
            .setUpstream(upstream(def))
            .setDeadline(deadline)
            .setTimeoutMs(timeout.toMillis())
            .setStartBy(startBy)
            .setIdempotencyKey(runId + "/" + taskId + "/" + attempt)
            .setScheduledAt(now)
            .setResources(def.resources().toAvro())
            .build();
    long size = RecordSizes.of(request);
    if (size > maxRecordBytes) {
      String why =
          "its request would be about "
              + size
              + " bytes, over the limit of "
              + maxRecordBytes
              + " (weft.max.record.bytes): its params and upstream outputs are too large;"
              + " pass large data as artifacts";
      failFanOutOrTask(taskId, item, new TaskError(TOO_LARGE, why, false));
      return;
    }
    String itemText = item == null ? null : item.toString();
    emit(
        new TaskScheduled(
            taskId, def.type(), attempt, deadline, itemText, fanOutSize, startBy, true));
    step.dispatch(request);
    if (startBy != null) {
      step.set(new Timer(startBy, runId, taskId, attempt, Timer.Kind.TIMEOUT));
    }
  }

  /**
   * {@code taskId} cannot be dispatched: a forEach child fails its fan-out (naming the element), a
   * task fails itself.
   */
  private void failFanOutOrTask(String taskId, JsonNode item, TaskError error) {
    if (TaskIds.isChild(taskId)) {
      failFinally(
          TaskIds.base(taskId),
          new TaskError(
              error.getErrorClass(),
              "child "
                  + taskId
                  + " (element "
                  + TaskIds.index(taskId)
                  + " of the forEach: "
                  + item
                  + "): "
                  + error.getMessage(),
              false));
    } else {
      failFinally(taskId, error);
    }
  }

  /** How long an attempt of {@code taskId} may run from its start. */
  Duration timeoutOf(String taskId) {
    Duration timeout = definitionOf(taskId).timeout();
    return timeout == null ? defaultTimeout : timeout;
  }

  private Map<String, String> resolveParams(TaskDefinition def, JsonNode item) {
    var bindings = RunBindings.of(state(), item);
    Map<String, String> resolved = new LinkedHashMap<>();
    def.params()
        .forEach(
            (name, value) -> resolved.put(name, Template.resolveJson(value, bindings).toString()));
    return resolved;
  }

  /** The outputs of the task's direct dependencies; a forEach dependency adds each child's. */
  private Map<String, Map<String, TaskOutput>> upstream(TaskDefinition def) {
    Map<String, Map<String, TaskOutput>> upstream = new HashMap<>();
    for (String dep : def.dependsOn()) {
      TaskState depState = state().getTasks().get(dep);
      if (depState == null) {
        continue;
      }
      upstream.put(dep, new HashMap<>(depState.getOutputs()));
      if (depState.getChildren() != null) {
        for (int i = 0; i < depState.getChildren(); i++) {
          TaskState child = state().getTasks().get(TaskIds.child(dep, i));
          if (child != null) {
            upstream.put(TaskIds.child(dep, i), new HashMap<>(child.getOutputs()));
          }
        }
      }
    }
    return upstream;
  }

  /**
   * The current attempt of {@code taskId} failed: retry it if its error allows and its policy has
   * attempts left in this round, or fail it finally.
   */
  void attemptFailed(String taskId, TaskError error) {
    TaskState task = task(taskId);
    Retry retry = definitionOf(taskId).retry();
    int attemptsInRound = task.getAttempt() - task.getRoundStart() + 1;
    if (error.getRetryable() && attemptsInRound < retry.maxAttempts()) {
      emit(new TaskFailed(taskId, task.getAttempt(), error, task.getWorkerId(), false));
      int next = task.getAttempt() + 1;
      Instant retryAt = now.plus(retry.backoffBefore(attemptsInRound + 1));
      emit(new TaskRetrying(taskId, next, retryAt, error.getMessage()));
      step.set(new Timer(retryAt, state().getRunId(), taskId, next, Timer.Kind.RETRY));
    } else {
      failFinally(taskId, error);
    }
  }

  /** {@code taskId} failed for good: its failure policy decides what happens to the run. */
  void failFinally(String taskId, TaskError error) {
    TaskState task = task(taskId);
    emit(new TaskFailed(taskId, task.getAttempt(), error, task.getWorkerId(), true));
    if (TaskIds.isChild(taskId)) { // its fan-out fails with it, if it has not already
      String parentId = TaskIds.base(taskId);
      if (task(parentId).getStatus() == TaskStatus.RUNNING) {
        failFinally(
            parentId,
            new TaskError(
                error.getErrorClass(),
                "child " + taskId + " failed: " + error.getMessage(),
                false));
      }
      return;
    }
    if (definitionOf(taskId).onFailure() == OnFailure.FAIL_RUN) {
      emit(
          new RunFailed(
              taskId,
              new TaskError(
                  error.getErrorClass(),
                  "task '" + taskId + "' failed: " + error.getMessage(),
                  false)));
    }
  }

  /** Parses a JSON text of the run (an item, a param); a bad one reads as a plain string. */
  static JsonNode json(String text) {
    return text == null ? null : DefinitionCodec.parseJson(text);
  }
}

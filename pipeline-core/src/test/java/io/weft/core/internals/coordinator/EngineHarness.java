package io.weft.core.internals.coordinator;

import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.commands.CancelRun;
import io.weft.schemas.commands.PauseRun;
import io.weft.schemas.commands.ResumeRun;
import io.weft.schemas.commands.RetryRun;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskStatus;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test kit: drives the pure {@link RunEngine} through one run, keeping what a coordinator would
 * keep (state, timers) and what it would write (events, requests), with a clock under test control.
 */
final class EngineHarness {

  static {
    GeneratedClasses.trust();
  }

  static final String RUN = "run-1";

  private final WorkflowDefinition definition;
  private final RunEngine engine;
  private RunState state;
  private Instant now = Instant.parse("2026-11-27T10:00:00Z");
  final List<RunEvent> events = new ArrayList<>();
  final List<TaskRequest> requests = new ArrayList<>();
  final TreeMap<String, Timer> timers = new TreeMap<>();
  final List<String> ignored = new ArrayList<>();

  EngineHarness(WorkflowDefinition definition) {
    this(definition, RunEngine.DEFAULT_MAX_RECORD_BYTES);
  }

  /** A harness whose engine makes no record larger than {@code maxRecordBytes}. */
  EngineHarness(WorkflowDefinition definition, int maxRecordBytes) {
    this.definition = definition;
    this.engine = new RunEngine(Duration.ofMinutes(10), maxRecordBytes);
  }

  EngineHarness start(Map<String, String> params) {
    return apply(
        engine.start(
            new StartRun(RUN, null, definition.name(), definition.version(), params, now),
            definition,
            state,
            now));
  }

  EngineHarness start() {
    return start(Map.of());
  }

  EngineHarness succeed(String taskId, Map<String, TaskOutput> outputs) {
    return apply(
        engine.result(
            result(taskId, TaskOutcome.SUCCEEDED, outputs, null), definition, state, now));
  }

  EngineHarness succeed(String taskId) {
    return succeed(taskId, Map.of());
  }

  EngineHarness fail(String taskId, boolean retryable) {
    TaskError error =
        new TaskError("java.lang.IllegalStateException", "boom in " + taskId, retryable);
    return apply(
        engine.result(result(taskId, TaskOutcome.FAILED, Map.of(), error), definition, state, now));
  }

  /** Re-delivers the last result the harness sent for {@code taskId}, attempt as given. */
  EngineHarness succeedAttempt(String taskId, int attempt) {
    TaskResult r = result(taskId, TaskOutcome.SUCCEEDED, Map.of(), null);
    r.setAttempt(attempt);
    return apply(engine.result(r, definition, state, now));
  }

  EngineHarness heartbeat(String taskId) {
    return heartbeat(taskId, now);
  }

  /** A heartbeat now of an attempt the worker says it started at {@code startedAt}. */
  EngineHarness heartbeat(String taskId, Instant startedAt) {
    return apply(
        engine.heartbeat(
            new TaskHeartbeat(RUN, taskId, attempt(taskId), "worker-1", now, startedAt),
            definition,
            state,
            now));
  }

  /** A success now of an attempt the worker says it started at {@code startedAt}. */
  EngineHarness succeedStartedAt(String taskId, Instant startedAt) {
    TaskResult r = result(taskId, TaskOutcome.SUCCEEDED, Map.of(), null);
    r.setStartedAt(startedAt);
    return apply(engine.result(r, definition, state, now));
  }

  EngineHarness cancel() {
    return apply(engine.cancel(new CancelRun(RUN, "test", now), definition, state, now));
  }

  EngineHarness pause() {
    return apply(engine.pause(new PauseRun(RUN, "test", now), definition, state, now));
  }

  EngineHarness resume() {
    return apply(engine.resume(new ResumeRun(RUN, now), definition, state, now));
  }

  EngineHarness retryRun() {
    return apply(engine.retry(new RetryRun(RUN, now), definition, state, now));
  }

  /** Moves the clock and fires every timer due by then, in order. */
  EngineHarness advance(Duration duration) {
    Instant until = now.plus(duration);
    while (!timers.isEmpty() && !timers.firstEntry().getValue().at().isAfter(until)) {
      Timer timer = timers.pollFirstEntry().getValue();
      now = timer.at();
      apply(engine.timer(timer, definition, state, now));
    }
    now = until;
    return this;
  }

  private TaskResult result(
      String taskId, TaskOutcome outcome, Map<String, TaskOutput> outputs, TaskError error) {
    return TaskResult.newBuilder()
        .setRunId(RUN)
        .setTaskId(taskId)
        .setAttempt(attempt(taskId))
        .setStatus(outcome)
        .setOutputs(outputs)
        .setError(error)
        .setWorkerId("worker-1")
        .setStartedAt(now)
        .setFinishedAt(now)
        .build();
  }

  private EngineHarness apply(Step step) {
    if (step.ignoredBecause() != null) {
      ignored.add(step.ignoredBecause());
      return this;
    }
    state = step.state();
    events.addAll(step.events());
    requests.addAll(step.requests());
    step.timers().forEach(t -> timers.put(t.key(), t));
    return this;
  }

  int attempt(String taskId) {
    var task = state.getTasks().get(taskId);
    return task == null ? 0 : task.getAttempt();
  }

  RunState state() {
    return state;
  }

  Instant now() {
    return now;
  }

  TaskStatus status(String taskId) {
    return Readiness.status(state, taskId);
  }

  /** Event names, e.g. {@code TaskScheduled(a#1)}, {@code RunSucceeded}. */
  List<String> eventNames() {
    return events.stream().map(EngineHarness::describe).toList();
  }

  /** Ids of the tasks dispatched, in order. */
  List<String> dispatched() {
    return requests.stream().map(r -> r.getTaskId() + "#" + r.getAttempt()).toList();
  }

  /** The last TaskTimedOut event. */
  io.weft.schemas.events.TaskTimedOut lastTimedOut() {
    return last(io.weft.schemas.events.TaskTimedOut.class);
  }

  /** The last event of {@code kind}. */
  <T> T last(Class<T> kind) {
    return events.stream()
        .map(e -> e.getEvent())
        .filter(kind::isInstance)
        .map(kind::cast)
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  TaskRequest lastRequest(String taskId) {
    return requests.stream()
        .filter(r -> r.getTaskId().equals(taskId))
        .max(Comparator.comparingInt(TaskRequest::getAttempt))
        .orElseThrow();
  }

  private static String describe(RunEvent event) {
    Object e = event.getEvent();
    String name = e.getClass().getSimpleName();
    try {
      Object taskId = e.getClass().getMethod("getTaskId").invoke(e);
      return name + "(" + taskId + ")";
    } catch (ReflectiveOperationException notATaskEvent) {
      return name;
    }
  }
}

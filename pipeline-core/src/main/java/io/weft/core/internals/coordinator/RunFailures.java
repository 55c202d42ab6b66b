package io.weft.core.internals.coordinator;

import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;

/**
 * The steps that end a run the engine cannot carry on: processing one of its inputs threw, its
 * state would pass the record limit, or its definition was deleted. Each fails that run alone.
 */
final class RunFailures {

  private RunFailures() {}

  /**
   * Processing an input of run {@code runId} failed with {@code cause} (a bug, or a run the engine
   * cannot handle): the run fails with {@code weft.InternalError} naming it, so that nothing else
   * waits on it. {@code state} is the run's stored state (null if it has none); a run with none is
   * recorded as started and failed if the input was its start, and is otherwise left alone.
   */
  static Step internalError(
      String runId, Object input, RunState state, RuntimeException cause, Instant now) {
    String what =
        "the coordinator failed processing "
            + (input == null ? "a timer" : "a " + input.getClass().getSimpleName())
            + " of run "
            + runId
            + ": "
            + cause;
    return failRun(runId, input, state, new TaskError("weft.InternalError", what, false), now);
  }

  /**
   * An input of run {@code runId} would make its state larger than a record may be: the input's
   * step is dropped and the run fails with {@code weft.TooLarge} from {@code state}, its stored
   * state. A run that did not exist is recorded as started (without its params, which made it too
   * large) and failed.
   */
  static Step tooLarge(String runId, Object input, RunState state, String why, Instant now) {
    Object start =
        input instanceof StartRun s
            ? StartRun.newBuilder(s).setParams(new HashMap<>()).build()
            : input;
    return failRun(runId, start, state, new TaskError(RunContext.TOO_LARGE, why, false), now);
  }

  /**
   * Fails run {@code runId} with {@code error}, from {@code state}, its stored state (null if it
   * has none): a run with none is recorded as started and failed if the input was its start, and is
   * otherwise left alone, as is a run that is not running.
   */
  private static Step failRun(
      String runId, Object input, RunState state, TaskError error, Instant now) {
    if (state == null && input instanceof StartRun start) {
      Step step = new Step(null);
      step.append(
          new RunEvent(
              runId,
              0L,
              now,
              new RunStarted(
                  start.getWorkflowName(),
                  start.getWorkflowVersion() == null ? 0 : start.getWorkflowVersion(),
                  start.getParams(),
                  start.getRunKey())));
      context(step, now).emit(new RunFailed(null, error));
      return step;
    }
    if (state == null || state.getStatus() != RunStatus.RUNNING) {
      return Step.ignored(state, error.getMessage() + " (the run is not running)");
    }
    Step step = new Step(state);
    context(step, now).emit(new RunFailed(null, error));
    return step;
  }

  /** Whether {@code state} is a running run whose definition is no longer registered. */
  static boolean isOrphaned(RunState state, WorkflowDefinition definition) {
    return state != null && state.getStatus() == RunStatus.RUNNING && definition == null;
  }

  /**
   * The definition of a running run was deleted (its record tombstoned): nothing can carry the run
   * on, so it fails with {@code weft.UnknownWorkflow} at its next input or timer.
   */
  static Step definitionGone(RunState state, Instant now) {
    Step step = new Step(state);
    context(step, now)
        .emit(
            new RunFailed(
                null,
                new TaskError(
                    "weft.UnknownWorkflow",
                    "workflow "
                        + state.getWorkflowName()
                        + " version "
                        + state.getWorkflowVersion()
                        + " is no longer registered (its definition was deleted), so run "
                        + state.getRunId()
                        + " cannot go on",
                    false)));
    return step;
  }

  /** A context for failing a run: no definition, so no task is planned or timed. */
  private static RunContext context(Step step, Instant now) {
    return new RunContext(null, step, now, Duration.ZERO, Integer.MAX_VALUE);
  }
}

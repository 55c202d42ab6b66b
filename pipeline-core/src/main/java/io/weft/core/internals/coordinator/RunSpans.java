package io.weft.core.internals.coordinator;

import io.weft.core.tracing.WeftTracing;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.internal.RunState;

/** The span of each run a step ended, with tracing on ({@link WeftTracing#runEnded}). */
final class RunSpans {

  private RunSpans() {}

  /** Records the run span if {@code step} ended its run. */
  static void ended(Step step) {
    RunState state = step.state();
    if (state == null || state.getFinishedAt() == null) {
      return;
    }
    for (RunEvent event : step.events()) {
      Object body = event.getEvent();
      String status =
          body instanceof RunSucceeded
              ? "succeeded"
              : body instanceof RunFailed
                  ? "failed"
                  : body instanceof RunCancelled ? "cancelled" : null;
      if (status != null) {
        WeftTracing.get()
            .runEnded(
                state.getRunId(),
                state.getWorkflowName(),
                state.getWorkflowVersion(),
                status,
                state.getStartedAt(),
                state.getFinishedAt());
      }
    }
  }
}

package io.weft.core.internals.coordinator;

import io.weft.schemas.commands.CancelRun;
import io.weft.schemas.commands.PauseRun;
import io.weft.schemas.commands.ResumeRun;
import io.weft.schemas.commands.RetryRun;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.results.TaskResult;

/** What the run processor reads off its inputs and events. */
final class Inputs {

  private Inputs() {}

  /** Whether {@code event} ends its run. */
  static boolean endsRun(RunEvent event) {
    Object e = event.getEvent();
    return e instanceof RunSucceeded || e instanceof RunFailed || e instanceof RunCancelled;
  }

  /** The run id a command's or report's body names, or null if it is neither. */
  static String runIdOf(Object body) {
    if (body instanceof StartRun s) {
      return s.getRunId();
    } else if (body instanceof CancelRun c) {
      return c.getRunId();
    } else if (body instanceof RetryRun r) {
      return r.getRunId();
    } else if (body instanceof PauseRun p) {
      return p.getRunId();
    } else if (body instanceof ResumeRun r) {
      return r.getRunId();
    } else if (body instanceof TaskResult r) {
      return r.getRunId();
    } else if (body instanceof TaskHeartbeat h) {
      return h.getRunId();
    } else if (body instanceof TaskProgress p) {
      return p.getRunId();
    }
    return null;
  }
}

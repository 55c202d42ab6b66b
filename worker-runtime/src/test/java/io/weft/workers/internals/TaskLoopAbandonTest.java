package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.STOP_GRACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A handler that ignores its stop signal holds its slot for the stop grace, not forever. */
class TaskLoopAbandonTest {

  @Test
  void shouldAbandonAHandlerStillRunningAStopGracePastItsTimeoutAndFreeItsSlot() {
    // given: one slot, held by an attempt the coordinator timed out, with a request behind it
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();
    kit.request(P0, 1, "run-2");
    kit.running.attemptTimedOut("run-1", "fit", 1);

    // when: its handler ignores the signal for the whole grace
    kit.time.advance(STOP_GRACE.minusMillis(1));
    kit.turn();
    assertThat(kit.committedResults()).isEmpty();
    kit.time.advance(Duration.ofMillis(1));
    kit.turn().turn();

    // then: a failed result commits with its offset, and the next request has the slot
    assertThat(kit.committedResults())
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.getRunId()).isEqualTo("run-1");
              assertThat(result.getStatus()).isEqualTo(TaskOutcome.FAILED);
              assertThat(result.getError().getErrorClass()).isEqualTo("weft.Abandoned");
              assertThat(result.getError().getMessage())
                  .contains("did not return within 30000 ms", "TIMED_OUT");
              assertThat(result.getError().getRetryable()).isFalse();
            });
    assertThat(kit.committedOffsets()).contains(Map.of(P0, 1L));
    assertThat(kit.counters.abandoned.sum()).isEqualTo(1);
    assertThat(kit.executed).isEmpty(); // the manual executor has run no handler yet
    assertThat(kit.executor.running()).isEqualTo(2); // the abandoned one and run-2's
  }

  @Test
  void shouldDropTheResultOfAnAbandonedHandlerThatReturnsLate() {
    // given: an abandoned attempt of a stopped run
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();
    kit.running.runStopped("run-1");
    kit.time.advance(STOP_GRACE);
    kit.turn();

    // when: its handler returns at last
    kit.finishRunning().turn();

    // then: only the abandonment's failure was committed
    assertThat(kit.committedResults())
        .extracting(TaskResult::getStatus)
        .containsExactly(TaskOutcome.FAILED);
    assertThat(kit.committedResults().get(0).getError().getMessage()).contains("RUN_STOPPED");
  }

  @Test
  void shouldNotAbandonAHandlerThatWasNeverToldToStop() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();

    // when
    kit.time.advance(STOP_GRACE.multipliedBy(10));
    kit.turn();

    // then
    assertThat(kit.committedResults()).isEmpty();
    assertThat(kit.counters.abandoned.sum()).isZero();
  }
}

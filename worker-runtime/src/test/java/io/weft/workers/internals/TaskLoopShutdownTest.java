package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.P1;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.results.TaskResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Draining: a loop shutting down takes no new request, waits for its running attempts until the
 * shutdown deadline and commits those that finish; those still running then are cancelled and
 * abandoned uncommitted, for another worker to execute.
 */
class TaskLoopShutdownTest {

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  private static void beginShutdown(TaskLoopKit kit) {
    kit.loop.beginShutdown(kit.time.nanoseconds() + SHUTDOWN_TIMEOUT.toNanos());
  }

  @Test
  void shouldEndAtOnceWhenNothingRuns() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).turn();
    boolean drainedBefore = kit.loop.isDrained();

    // when
    beginShutdown(kit);

    // then
    assertThat(drainedBefore).isFalse();
    assertThat(kit.loop.isDrained()).isTrue();
  }

  @Test
  void shouldWaitForARunningAttemptAndCommitItsResultWithinTheShutdownTimeout() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();
    beginShutdown(kit);

    // when
    kit.time.advance(SHUTDOWN_TIMEOUT.minusMillis(1));
    kit.turn();
    boolean drainedWhileRunning = kit.loop.isDrained();
    kit.finishRunning().turn();

    // then
    assertThat(drainedWhileRunning).isFalse();
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("run-1");
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
    assertThat(kit.executed).singleElement().satisfies(c -> assertThat(c.isCancelled()).isFalse());
    assertThat(kit.loop.isDrained()).isTrue();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
  void shouldAbandonAnAttemptStillRunningAtTheShutdownDeadlineUncommitted() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();
    beginShutdown(kit);
    kit.turn();

    // when: the deadline passes, the loop's thread ends, then the handler does
    kit.time.advance(SHUTDOWN_TIMEOUT);
    kit.loop.run();
    kit.finishRunning();

    // then
    assertThat(kit.executed)
        .singleElement()
        .satisfies(c -> assertThat(c.cancelReason()).isEqualTo(CancelReason.SHUTDOWN));
    assertThat(kit.committedResults()).isEmpty();
    assertThat(kit.committedOffsets()).isEmpty();
    assertThat(kit.executor.isShutdown()).isTrue();
    assertThat(kit.consumer.closed()).isTrue();
    assertThat(kit.producer().closed()).isTrue();
    assertThat(kit.advisory.closed()).isTrue();
    assertThat(kit.loop.hasFailed()).isFalse();
  }

  @Test
  void shouldTakeNoNewRequestWhileDraining() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").turn();
    beginShutdown(kit);

    // when
    kit.request(P1, 0, "run-2").turn();

    // then
    assertThat(kit.executor.running()).isEqualTo(1);
    assertThat(kit.counters.executions.sum()).isEqualTo(1);
    assertThat(kit.consumer.position(P1)).isZero();
    assertThat(kit.consumer.paused()).containsExactlyInAnyOrder(P0, P1);
  }
}

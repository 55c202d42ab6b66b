package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.DEFAULT_WINDOW;
import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters of a task type: what the loop counts as attempts start, finish and commit. */
class TaskLoopMetricsTest {

  @Test
  void shouldCountAnAttemptThatSucceededWithItsQueueWaitAndDuration() {
    // given: a request dispatched 2 s before the worker takes it, whose handler takes 3 s
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1");
    kit.time.advance(Duration.ofSeconds(2));
    kit.turn();
    kit.time.advance(Duration.ofSeconds(3));

    // when
    kit.finishRunning().turn();

    // then
    MeterRegistry meters = kit.counters.registry();
    assertThat(counter(meters, "weft.worker.tasks.started")).isEqualTo(1);
    assertThat(counter(meters, "weft.worker.tasks.succeeded")).isEqualTo(1);
    assertThat(counter(meters, "weft.worker.tasks.failed")).isZero();
    Timer wait = meters.get("weft.worker.queue.wait").tag("type", TYPE).timer();
    assertThat(wait.totalTime(TimeUnit.SECONDS)).isEqualTo(2.0);
    Timer duration =
        meters.get("weft.worker.task.duration").tags("type", TYPE, "outcome", "succeeded").timer();
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
    assertThat(
            meters.get("weft.worker.transaction.results").tag("type", TYPE).summary().totalAmount())
        .isEqualTo(1.0);
    assertThat(meters.get("weft.worker.tasks.in.flight").tag("type", TYPE).gauge().value())
        .isZero();
  }

  @Test
  void shouldCountAnAttemptWhoseHandlerThrewAsFailed() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "fail-1").turn();

    // when
    kit.finishRunning().turn();

    // then
    MeterRegistry meters = kit.counters.registry();
    assertThat(counter(meters, "weft.worker.tasks.failed")).isEqualTo(1);
    assertThat(counter(meters, "weft.worker.tasks.succeeded")).isZero();
    assertThat(
            meters
                .get("weft.worker.task.duration")
                .tags("type", TYPE, "outcome", "failed")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void shouldShowAnAttemptInFlightAndTheWindowItFills() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2);

    // when
    kit.request(P0, 0, "run-1").turn();

    // then: one running, one request of two windows of the partitions assigned
    MeterRegistry meters = kit.counters.registry();
    assertThat(meters.get("weft.worker.tasks.in.flight").tag("type", TYPE).gauge().value())
        .isEqualTo(1.0);
    assertThat(meters.get("weft.worker.window.fill").tag("type", TYPE).gauge().value())
        .isCloseTo(1.0 / (2 * DEFAULT_WINDOW), within(1e-9));
  }

  private static double counter(MeterRegistry meters, String name) {
    return meters.get(name).tag("type", TYPE).counter().count();
  }
}

package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.HEARTBEAT;
import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.P1;
import static io.weft.workers.internals.TaskLoopKit.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.weft.core.api.TaskRequestHeaders;
import io.weft.core.testing.ManualTime;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The task loop's turns: taking requests, pausing partitions, committing results. */
class TaskLoopTest {

  @Test
  void shouldCommitAResultInOneTransactionWithItsInputOffset() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();

    // when
    kit.time.advance(Duration.ofSeconds(3));
    kit.finishRunning().turn();

    // then
    assertThat(kit.committedResults())
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.getRunId()).isEqualTo("run-1");
              assertThat(result.getStatus()).isEqualTo(TaskOutcome.SUCCEEDED);
              assertThat(result.getOutputs()).containsEntry("by", new TaskOutput("\"w-1\"", null));
              assertThat(result.getFinishedAt()).isEqualTo(ManualTime.START.plusSeconds(3));
            });
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
    assertThat(kit.producer().commitCount()).isEqualTo(1);
    assertThat(kit.counters.executions.sum()).isEqualTo(1);
  }

  @Test
  void shouldPauseEveryPartitionWhileEveryHandlerSlotIsBusy() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1);

    // when
    kit.request(P0, 0, "run-1").turn();

    // then
    assertThat(kit.executor.running()).isEqualTo(1);
    assertThat(kit.consumer.paused()).containsExactlyInAnyOrder(P0, P1);
  }

  @Test
  void shouldPauseOnlyThePartitionWhoseWindowIsFullWhileASlotIsFree() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrencyAndWindow(2, 1);

    // when
    kit.request(P0, 0, "run-1").turn();

    // then
    assertThat(kit.consumer.paused()).containsExactly(P0);
  }

  @Test
  void shouldResumeThePartitionsWhenTheRunningRequestFinishes() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();

    // when
    kit.finishRunning().turn();

    // then
    assertThat(kit.consumer.paused()).isEmpty();
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("run-1");
  }

  @Test
  void shouldSeekBackToTheFirstRecordItDidNotTake() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrencyAndWindow(2, 1);

    // when
    kit.request(P0, 0, "run-1").request(P0, 1, "run-2").turn();

    // then
    assertThat(kit.executor.running()).isEqualTo(1);
    assertThat(kit.consumer.position(P0)).isEqualTo(1);
  }

  @Test
  void shouldSendNoHeartbeatForAnAttemptThatEndsWithinAnIntervalAndReportItsStartInTheResult() {
    // given
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(1)
            .requestTimedFromStart(P0, 0, "run-1", Duration.ofMinutes(10), null)
            .turn();

    // when
    kit.time.advance(HEARTBEAT.minusMillis(1));
    kit.turn().finishRunning().turn();

    // then
    assertThat(kit.heartbeats()).isEmpty();
    assertThat(kit.committedResults())
        .extracting(TaskResult::getStartedAt)
        .containsExactly(ManualTime.START);
  }

  @Test
  void shouldSendTheFirstHeartbeatOneIntervalAfterTheStartWithTheStartTime() {
    // given
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(1)
            .requestTimedFromStart(P0, 0, "run-1", Duration.ofMinutes(10), null)
            .turn();

    // when
    kit.time.advance(HEARTBEAT);
    kit.turn();
    kit.time.advance(HEARTBEAT);
    kit.turn();

    // then
    assertThat(kit.heartbeats())
        .extracting(TaskHeartbeat::getSentAt, TaskHeartbeat::getStartedAt)
        .containsExactly(
            tuple(ManualTime.START.plus(HEARTBEAT), ManualTime.START),
            tuple(ManualTime.START.plus(HEARTBEAT.multipliedBy(2)), ManualTime.START));
  }

  @Test
  void shouldSendTheFirstHeartbeatByHalfTheTimeoutWhenTheTimeoutIsShorterThanTwoIntervals() {
    // given
    Duration timeout = HEARTBEAT; // the coordinator must hear of the start before it passes
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(1).requestTimedFromStart(P0, 0, "run-1", timeout, null).turn();

    // when
    kit.time.advance(timeout.dividedBy(2).minusMillis(1));
    kit.turn();
    assertThat(kit.heartbeats()).isEmpty();
    kit.time.advance(Duration.ofMillis(1));
    kit.turn();

    // then
    assertThat(kit.heartbeats())
        .extracting(TaskHeartbeat::getSentAt)
        .containsExactly(ManualTime.START.plus(timeout.dividedBy(2)));
  }

  @Test
  void shouldSendAHeartbeatAtTheStartWhenTheQueueTimeoutWouldPassBeforeTheFirstInterval() {
    // given: it must start by one interval from now, so the coordinator must hear of it at once
    Instant startBy = ManualTime.START.plus(HEARTBEAT);

    // when
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(1)
            .requestTimedFromStart(P0, 0, "run-1", Duration.ofMinutes(10), startBy)
            .turn();

    // then
    assertThat(kit.heartbeats())
        .extracting(TaskHeartbeat::getSentAt)
        .containsExactly(ManualTime.START);
  }

  @Test
  void shouldSendAHeartbeatAtTheStartForACoordinatorThatCountsTheTimeoutFromDispatch() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();

    // when
    kit.time.advance(HEARTBEAT.minusMillis(1));
    kit.turn();
    kit.time.advance(Duration.ofMillis(1));
    kit.turn();

    // then
    assertThat(kit.heartbeats())
        .extracting(TaskHeartbeat::getSentAt)
        .containsExactly(ManualTime.START, ManualTime.START.plus(HEARTBEAT));
  }

  @Test
  void shouldSkipARequestWhoseDeadlineHasPassedByItsClockAndCommitItsOffset() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1);
    kit.time.advance(Duration.ofMinutes(2));

    // when
    kit.request(P0, 0, "run-1", ManualTime.START.plus(Duration.ofMinutes(1))).turn();

    // then
    assertThat(kit.executor.running()).isZero();
    assertThat(kit.counters.expired.sum()).isEqualTo(1);
    assertThat(kit.committedResults()).isEmpty();
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
  }

  @Test
  void shouldDeadLetterAnUndecodableRecordWithItsOffset() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1);
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

    // when
    kit.record(P0, 0, "run-1/fit", garbage).turn();

    // then
    assertThat(kit.committedDeadLetters())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.topic()).isEqualTo(TOPICS.deadLetters());
              assertThat(letter.value()).isEqualTo(garbage);
            });
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
    assertThat(kit.counters.deadLettered.sum()).isEqualTo(1);
  }

  @Test
  void shouldReportTheAttemptOfAnUnreadableRequestFailedWhenItsHeadersNameIt() {
    // given: a record the coordinator named (run, task, attempt) whose value cannot be read
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1);
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    Headers headers = TaskRequestHeaders.add(new RecordHeaders(), "run-1", "fit", 3);

    // when
    kit.record(P0, 0, "run-1/fit", garbage, headers).turn();

    // then: the letter and a failed, non-retryable result commit with the offset
    assertThat(kit.committedDeadLetters()).hasSize(1);
    assertThat(kit.committedResults())
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.getRunId()).isEqualTo("run-1");
              assertThat(result.getTaskId()).isEqualTo("fit");
              assertThat(result.getAttempt()).isEqualTo(3);
              assertThat(result.getStatus()).isEqualTo(TaskOutcome.FAILED);
              assertThat(result.getError().getErrorClass()).isEqualTo("weft.InvalidRequest");
              assertThat(result.getError().getRetryable()).isFalse();
              assertThat(result.getError().getMessage())
                  .contains("could not read the request", TOPICS.deadLetters());
            });
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
  }
}

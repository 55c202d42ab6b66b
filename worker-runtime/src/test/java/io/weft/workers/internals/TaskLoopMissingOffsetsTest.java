package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.P1;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.testing.ManualTime;
import io.weft.schemas.results.TaskResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Partitions assigned without a committed offset (a new group, or offsets expired or deleted):
 * below the end offset taken at assignment, a request whose attempt, or a later attempt of its
 * task, has a committed result is skipped, only its offset committed; everything else runs.
 */
class TaskLoopMissingOffsetsTest {

  /** When the results in these tests finished: when the kit's clock starts, as its requests. */
  private static final long FINISHED = ManualTime.START.toEpochMilli();

  @Test
  void shouldSkipRequestsWhoseAttemptOrALaterOneHasAResultAndExecuteTheOthers() {
    // given: five requests in P0 before assignment; three of them are done
    DoneAttempts done =
        DoneAttempts.builder()
            .add("run-1", "fit", 1, FINISHED)
            .add("run-3", "fit", 2, FINISHED)
            .add("run-4", "fit", 1, FINISHED)
            .build();
    TaskLoopKit kit = TaskLoopKit.withoutCommittedOffsets(4, Map.of(P0, 5L), done);

    // when
    kit.requestOfAttempt(P0, 0, "run-1", 1, true) // its own result: skipped
        .requestOfAttempt(P0, 1, "run-2", 1, true) // no result: executed
        .requestOfAttempt(P0, 2, "run-3", 1, true) // a later attempt's result: skipped
        .requestOfAttempt(P0, 3, "run-3", 2, false) // its own result, no headers: skipped
        .requestOfAttempt(P0, 4, "run-4", 2, true) // only an earlier attempt's result: executed
        .turn()
        .finishRunning()
        .turn();

    // then
    assertThat(kit.executed)
        .extracting(TaskContextImpl::runId)
        .containsExactlyInAnyOrder("run-2", "run-4");
    assertThat(kit.committedResults())
        .extracting(TaskResult::getRunId)
        .containsExactlyInAnyOrder("run-2", "run-4");
    assertThat(kit.lastCommitted(P0).offset()).isEqualTo(5);
    assertThat(kit.counters.alreadyDone.sum()).isEqualTo(3);
    assertThat(kit.counters.expired.sum()).isZero();
    assertThat(kit.results.reads).isEqualTo(1);
  }

  @Test
  void shouldExecuteEveryRequestAtOrAboveTheEndOffsetTakenAtAssignment() {
    // given: P0 held one request when assigned; run-2's result was read too
    DoneAttempts done =
        DoneAttempts.builder()
            .add("run-1", "fit", 1, FINISHED)
            .add("run-2", "fit", 1, FINISHED)
            .build();
    TaskLoopKit kit = TaskLoopKit.withoutCommittedOffsets(2, Map.of(P0, 1L), done);

    // when
    kit.requestOfAttempt(P0, 0, "run-1", 1, true)
        .requestOfAttempt(P0, 1, "run-2", 1, true)
        .requestOfAttempt(P0, 2, "run-1", 1, true)
        .turn()
        .finishRunning()
        .turn();

    // then
    assertThat(kit.executed)
        .extracting(TaskContextImpl::runId)
        .containsExactlyInAnyOrder("run-2", "run-1");
    assertThat(kit.counters.alreadyDone.sum()).isEqualTo(1);
    assertThat(kit.lastCommitted(P0).offset()).isEqualTo(3);
  }

  @Test
  void shouldExecuteEveryRequestWhenTheResultsTopicIsEmpty() {
    // given: a new installation
    TaskLoopKit kit =
        TaskLoopKit.withoutCommittedOffsets(4, Map.of(P0, 2L, P1, 1L), DoneAttempts.NONE);

    // when
    kit.requestOfAttempt(P0, 0, "run-1", 1, true)
        .requestOfAttempt(P0, 1, "run-2", 1, true)
        .requestOfAttempt(P1, 0, "run-3", 1, true)
        .turn()
        .finishRunning()
        .turn();

    // then: one read for both partitions, nothing skipped
    assertThat(kit.executed).hasSize(3);
    assertThat(kit.counters.alreadyDone.sum()).isZero();
    assertThat(kit.results.reads).isEqualTo(1);
  }

  @Test
  void shouldReadNoResultsForPartitionsWithCommittedOffsets() {
    // given: offsets committed by a previous owner, and a result of run-1 in the results topic
    TaskLoopKit kit =
        TaskLoopKit.newOwnerOf(
            2,
            Map.of(P0, new OffsetAndMetadata(0), P1, new OffsetAndMetadata(0)),
            Map.of(P0, 1L, P1, 1L));
    kit.results.done = DoneAttempts.builder().add("run-1", "fit", 1, FINISHED).build();

    // when
    kit.requestOfAttempt(P0, 0, "run-1", 1, true).turn().finishRunning().turn();

    // then
    assertThat(kit.results.reads).isZero();
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-1");
    assertThat(kit.counters.alreadyDone.sum()).isZero();
  }

  @Test
  void shouldReadNoResultsForEmptyPartitions() {
    // given: partitions empty when assigned
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2);
    kit.results.done = DoneAttempts.builder().add("run-1", "fit", 1, FINISHED).build();

    // when: a request arrives afterwards
    kit.requestOfAttempt(P0, 0, "run-1", 1, true).turn().finishRunning();

    // then
    assertThat(kit.results.reads).isZero();
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-1");
  }

  @Test
  void shouldTakeNothingUntilTheResultsCanBeReadAndThenReadThemOnceForEveryPartition() {
    // given: both partitions revoked before anything was committed, then assigned again while the
    // results cannot be read
    DoneAttempts done =
        DoneAttempts.builder()
            .add("run-1", "fit", 1, FINISHED)
            .add("run-3", "fit", 1, FINISHED)
            .build();
    TaskLoopKit kit = TaskLoopKit.withoutCommittedOffsets(2, Map.of(P0, 2L, P1, 1L), done);
    kit.consumer.rebalance(List.of());
    kit.results.failure = new TimeoutException("results not read within 60000 ms");
    kit.consumer.rebalance(List.of(P0, P1));
    kit.requestOfAttempt(P0, 0, "run-1", 1, true)
        .requestOfAttempt(P0, 1, "run-2", 1, true)
        .requestOfAttempt(P1, 0, "run-3", 1, true);

    // when
    kit.turn();

    // then
    assertThat(kit.results.reads).isEqualTo(2);
    assertThat(kit.consumer.position(P0)).isZero();
    assertThat(kit.consumer.paused()).containsExactlyInAnyOrder(P0, P1);

    // when: readable again, after the backoff
    kit.results.failure = null;
    kit.time.advance(Duration.ofSeconds(1));
    kit.turn() // resumes the partitions
        .requestOfAttempt(P0, 0, "run-1", 1, true) // read again from the positions sought back to
        .requestOfAttempt(P0, 1, "run-2", 1, true)
        .requestOfAttempt(P1, 0, "run-3", 1, true)
        .turn()
        .finishRunning()
        .turn();

    // then: one more read, for both partitions
    assertThat(kit.results.reads).isEqualTo(3);
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-2");
    assertThat(kit.counters.alreadyDone.sum()).isEqualTo(2);
    assertThat(kit.lastCommitted(P0).offset()).isEqualTo(2);
    assertThat(kit.lastCommitted(P1).offset()).isEqualTo(1);
  }

  @Test
  void shouldExecuteARequestWhoseAttemptHasOnlyAResultFinishedBeforeItWasDispatched() {
    // given: results of run-1 from an earlier run with the same id, deleted 8 days ago
    long longAgo = ManualTime.START.minus(Duration.ofDays(8)).toEpochMilli();
    long withinSkew = ManualTime.START.minus(MissingOffsets.CLOCK_SKEW).toEpochMilli();
    DoneAttempts done =
        DoneAttempts.builder()
            .add("run-1", "fit", 1, longAgo)
            .add("run-1", "fit", 2, longAgo)
            .add("run-2", "fit", 1, withinSkew)
            .build();
    TaskLoopKit kit = TaskLoopKit.withoutCommittedOffsets(2, Map.of(P0, 2L), done);

    // when
    kit.requestOfAttempt(P0, 0, "run-1", 1, true)
        .requestOfAttempt(P0, 1, "run-2", 1, false)
        .turn()
        .finishRunning();

    // then
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-1");
    assertThat(kit.turn().counters.alreadyDone.sum()).isEqualTo(1);
  }
}

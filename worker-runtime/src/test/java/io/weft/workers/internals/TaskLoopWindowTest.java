package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.P1;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.results.TaskResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/**
 * Many requests of one partition in flight: a window per partition, handler slots over all, the
 * first unfinished offset committed with the finished ones above it in its metadata, and a new
 * owner that skips those.
 */
class TaskLoopWindowTest {

  @Test
  void shouldRunManyRequestsOfOnePartitionAtOnceAndCommitThemInOneTransaction() {
    // given
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(3)
            .request(P0, 0, "run-1")
            .request(P0, 1, "run-2")
            .request(P0, 2, "run-3");

    // when
    kit.turn();
    int runningAtOnce = kit.executor.running();
    kit.finishRunning().turn();

    // then
    assertThat(runningAtOnce).isEqualTo(3);
    assertThat(kit.producer().commitCount()).isEqualTo(1);
    assertThat(kit.committedResults())
        .extracting(TaskResult::getRunId)
        .containsExactlyInAnyOrder("run-1", "run-2", "run-3");
    assertThat(kit.committedOffsetsAndMetadata()).containsExactly(Map.of(P0, offset(3, "")));
  }

  @Test
  void shouldCountOneTransactionAndEachResultItCommitted() {
    // given: three requests of two partitions running, nothing committed yet
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(3)
            .request(P0, 0, "run-1")
            .request(P0, 1, "run-2")
            .request(P1, 0, "run-3")
            .turn();
    long transactionsBefore = kit.counters.transactions.sum();
    long resultsBefore = kit.counters.committedResults.sum();

    // when: all three finish and one turn commits them
    kit.finishRunning().turn();

    // then
    assertThat(kit.producer().commitCount()).isEqualTo(1);
    assertThat(kit.committedResults()).hasSize(3);
    assertThat(kit.counters.transactions.sum() - transactionsBefore).isEqualTo(1);
    assertThat(kit.counters.committedResults.sum() - resultsBefore).isEqualTo(3);
  }

  @Test
  void shouldCommitAShortRequestBehindALongOneFirstRecordingItAboveTheLongOnesOffset() {
    // given
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(2).request(P0, 0, "long").request(P0, 1, "short").turn();

    // when
    kit.finishLatest().turn();

    // then
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("short");
    OffsetAndMetadata committed = kit.lastCommitted(P0);
    assertThat(committed.offset()).isZero();
    assertThat(OffsetGaps.decode(0, committed.metadata())).containsExactly(1L);
    assertThat(kit.executor.running()).isEqualTo(1);
  }

  @Test
  void shouldMoveTheCommittedOffsetPastTheFinishedOnesWhenTheLongOneFinishes() {
    // given
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(2).request(P0, 0, "long").request(P0, 1, "short").turn();
    kit.finishLatest().turn();

    // when
    kit.finishRunning().turn();

    // then
    assertThat(kit.committedResults())
        .extracting(TaskResult::getRunId)
        .containsExactly("short", "long");
    assertThat(kit.lastCommitted(P0)).isEqualTo(offset(2, ""));
  }

  @Test
  void shouldSkipAsNewOwnerTheRequestsItsLastOwnerFinished() {
    // given: the last owner committed offset 0, and 1 finished above it
    OffsetAndMetadata last = offset(0, OffsetGaps.encode(0, new TreeSet<>(java.util.Set.of(1L))));
    TaskLoopKit kit =
        TaskLoopKit.newOwnerOf(2, Map.of(P0, last))
            .request(P0, 0, "long")
            .request(P0, 1, "short")
            .request(P0, 2, "next");

    // when
    kit.turn().finishRunning().turn();

    // then
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("long", "next");
    assertThat(kit.committedResults())
        .extracting(TaskResult::getRunId)
        .containsExactlyInAnyOrder("long", "next");
    assertThat(kit.lastCommitted(P0)).isEqualTo(offset(3, ""));
  }

  @Test
  void shouldPauseOnlyThePartitionWhoseWindowIsFull() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrencyAndWindow(4, 2);

    // when
    kit.request(P0, 0, "run-1").request(P0, 1, "run-2").request(P0, 2, "run-3").turn();

    // then
    assertThat(kit.executor.running()).isEqualTo(2);
    assertThat(kit.consumer.position(P0)).isEqualTo(2);
    assertThat(kit.consumer.paused()).containsExactly(P0);
  }

  @Test
  void shouldCommitADeadLetterBehindARunningRequestAboveItsOffset() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "long");
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

    // when
    kit.record(P0, 1, "run-2/fit", garbage).turn();

    // then
    assertThat(kit.committedDeadLetters()).hasSize(1);
    OffsetAndMetadata committed = kit.lastCommitted(P0);
    assertThat(committed.offset()).isZero();
    assertThat(OffsetGaps.decode(0, committed.metadata())).containsExactly(1L);
    assertThat(kit.executor.running()).isEqualTo(1);
  }

  @Test
  void shouldCommitAnExpiredRequestBehindARunningOneAboveItsOffset() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "long");

    // when
    kit.request(P0, 1, "late", kit.time.now().minusSeconds(1)).turn();

    // then
    assertThat(kit.counters.expired.sum()).isEqualTo(1);
    assertThat(kit.committedResults()).isEmpty();
    assertThat(kit.counters.transactions.sum()).isEqualTo(1); // its offset's
    assertThat(kit.counters.committedResults.sum()).isZero();
    OffsetAndMetadata committed = kit.lastCommitted(P0);
    assertThat(committed.offset()).isZero();
    assertThat(OffsetGaps.decode(0, committed.metadata())).containsExactly(1L);
  }

  @Test
  void shouldCommitEveryPartitionsFinishedResultsInOneTransaction() {
    // given
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(4)
            .request(P0, 0, "run-1")
            .request(P0, 1, "run-2")
            .request(P1, 0, "run-3")
            .turn();

    // when
    kit.finishRunning().turn();

    // then
    assertThat(kit.producer().commitCount()).isEqualTo(1);
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 2L, P1, 1L));
  }

  @Test
  void shouldCommitTheFinishedRequestsOfARevokedPartitionAndCancelTheRunningOnes() {
    // given
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(2).request(P0, 0, "long").request(P0, 1, "short").turn();
    kit.executor.finishLatest();

    // when: revoked, then the long handler ends
    kit.revokeOnNextPoll(P0).turn();
    kit.finishRunning().turn();

    // then
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("short");
    OffsetAndMetadata committed = kit.lastCommitted(P0);
    assertThat(committed.offset()).isZero();
    assertThat(OffsetGaps.decode(0, committed.metadata())).containsExactly(1L);
    assertThat(kit.executed)
        .filteredOn(context -> context.runId().equals("long"))
        .singleElement()
        .satisfies(
            context -> assertThat(context.cancelReason()).isEqualTo(CancelReason.PARTITION_LOST));
  }

  private static OffsetAndMetadata offset(long offset, String metadata) {
    return new OffsetAndMetadata(offset, metadata);
  }

  @Test
  void shouldTakeNothingOfAPartitionUntilItCanReadItsCommittedOffset() {
    // given
    TaskLoopKit kit = TaskLoopKit.withCommittedOffsetsUnreadable(2).request(P0, 0, "run-1");

    // when
    kit.turn();
    int runningWhileUnreadable = kit.executor.running();
    boolean pausedWhileUnreadable = kit.consumer.paused().contains(P0);
    kit.committedReadFailure = null;
    kit.time.advance(java.time.Duration.ofMillis(100));
    kit.turn().request(P0, 0, "run-1").turn();

    // then
    assertThat(runningWhileUnreadable).isZero();
    assertThat(pausedWhileUnreadable).isTrue();
    assertThat(kit.executor.running()).isEqualTo(1);
  }
}

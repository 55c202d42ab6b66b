package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.P1;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.results.TaskResult;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/**
 * A partition given up in a rebalance: its finished result is committed while the partition is
 * still ours (revoked), or dropped if that fails or the partition is already gone (lost); a running
 * attempt is cancelled and its result never committed, for the new owner executes it again.
 */
class TaskLoopRebalanceTest {

  @Test
  void shouldCommitAFinishedResultOfARevokedPartitionBeforeGivingItUp() {
    // given: a result not committed yet
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").turn();
    kit.finishRunning();

    // when
    kit.revokeOnNextPoll(P0).turn().turn();

    // then
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("run-1");
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
    assertThat(kit.counters.rebalances.sum()).isEqualTo(1);
  }

  @Test
  void shouldCommitAResultWaitingOutItsCommitBackoffWhenItsPartitionIsRevoked() {
    // given: a result whose commit failed and is backing off
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").turn();
    kit.producer().commitTransactionException = new KafkaException("broker unavailable");
    kit.finishRunning().turn();
    kit.producer().commitTransactionException = null;

    // when: revoked with no time passed
    kit.revokeOnNextPoll(P0).turn();

    // then
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("run-1");
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
  }

  @Test
  void shouldDropAResultWhoseCommitFailsAsItsPartitionIsRevoked() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").turn();
    kit.producer().commitTransactionException = new KafkaException("broker unavailable");
    kit.finishRunning();

    // when: the commit fails during the revocation, then works again
    kit.revokeOnNextPoll(P0).turn();
    kit.producer().commitTransactionException = null;
    kit.time.advance(Duration.ofSeconds(10));
    kit.turn();

    // then
    assertThat(kit.committedResults()).isEmpty();
    assertThat(kit.committedOffsets()).isEmpty();
  }

  @Test
  void shouldCancelARunningAttemptOfARevokedPartitionAndNeverCommitItsResult() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").turn();

    // when: revoked, then the handler ends
    kit.revokeOnNextPoll(P0).turn();
    kit.finishRunning().turn();

    // then
    assertThat(kit.executed)
        .singleElement()
        .satisfies(
            context -> assertThat(context.cancelReason()).isEqualTo(CancelReason.PARTITION_LOST));
    assertThat(kit.committedResults()).isEmpty();
    assertThat(kit.committedOffsets()).isEmpty();
  }

  @Test
  void shouldDiscardAFinishedResultOfALostPartitionUncommitted() {
    // given: a result not committed yet
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").turn();
    kit.finishRunning();

    // when
    kit.loseOnNextPoll(P0).turn().turn();

    // then
    assertThat(kit.committedResults()).isEmpty();
    assertThat(kit.committedOffsets()).isEmpty();
    assertThat(kit.counters.rebalances.sum()).isEqualTo(1);
  }

  @Test
  void shouldKeepTakingRequestsOfThePartitionsItKeeps() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").turn();

    // when
    kit.revokeOnNextPoll(P0).turn();
    kit.request(P1, 0, "run-2").turn().finishRunning().turn();

    // then
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("run-2");
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P1, 1L));
  }
}

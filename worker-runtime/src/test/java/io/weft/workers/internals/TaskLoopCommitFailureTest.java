package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.common.WeftException;
import io.weft.schemas.results.TaskResult;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A result whose transaction fails is kept, its partition still paused, and committed again after a
 * backoff (100 ms, then doubling), once; a fenced producer is replaced; fatal errors stop the loop.
 */
class TaskLoopCommitFailureTest {

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  /** Where a transaction fails. */
  enum Failure {
    SEND_OFFSETS_TO_TRANSACTION,
    COMMIT_TRANSACTION;

    void inject(MockProducer<byte[], byte[]> producer, RuntimeException error) {
      if (this == SEND_OFFSETS_TO_TRANSACTION) {
        producer.sendOffsetsToTransactionException = error;
      } else {
        producer.commitTransactionException = error;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void shouldAbortAFailedTransactionAndKeepThePartitionPaused(Failure failure) {
    // given: a window of one, full until the result commits
    TaskLoopKit kit = TaskLoopKit.withConcurrencyAndWindow(2, 1).request(P0, 0, "run-1").turn();
    failure.inject(kit.producer(), new KafkaException("broker unavailable"));

    // when
    kit.finishRunning().turn();

    // then
    assertThat(kit.producer().transactionAborted()).isTrue();
    assertThat(kit.committedResults()).isEmpty();
    assertThat(kit.committedOffsets()).isEmpty();
    assertThat(kit.consumer.paused()).containsExactly(P0);
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void shouldCountNoTransactionNorResultOfAFailedCommitAndCountTheRetryOnce(Failure failure) {
    // given: two results whose transaction fails
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").request(P0, 1, "run-2").turn();
    failure.inject(kit.producer(), new KafkaException("broker unavailable"));

    // when
    kit.finishRunning().turn();
    long transactionsAfterFailure = kit.counters.transactions.sum();
    long resultsAfterFailure = kit.counters.committedResults.sum();
    boolean aborted = kit.producer().transactionAborted();
    failure.inject(kit.producer(), null);
    kit.time.advance(FIRST_BACKOFF);
    kit.turn();

    // then
    assertThat(aborted).isTrue();
    assertThat(transactionsAfterFailure).isZero();
    assertThat(resultsAfterFailure).isZero();
    assertThat(kit.committedResults()).hasSize(2);
    assertThat(kit.counters.transactions.sum()).isEqualTo(1);
    assertThat(kit.counters.committedResults.sum()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void shouldCommitTheResultOnceOnlyAfterTheBackoffOfItsClock(Failure failure) {
    // given: a transaction that failed, and a broker that is back
    TaskLoopKit kit = TaskLoopKit.withConcurrency(2).request(P0, 0, "run-1").turn();
    failure.inject(kit.producer(), new KafkaException("broker unavailable"));
    kit.finishRunning().turn();
    failure.inject(kit.producer(), null);

    // when
    kit.time.advance(FIRST_BACKOFF.minusMillis(1));
    kit.turn();
    boolean committedDuringBackoff = !kit.committedResults().isEmpty();
    kit.time.advance(Duration.ofMillis(1));
    kit.turn().turn();

    // then
    assertThat(committedDuringBackoff).isFalse();
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("run-1");
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
    assertThat(kit.consumer.paused()).isEmpty();
  }

  @Test
  void shouldDoubleTheBackoffAfterEachFailure() {
    // given: a transaction that failed twice
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();
    kit.producer().commitTransactionException = new KafkaException("broker unavailable");
    kit.finishRunning().turn();
    kit.time.advance(FIRST_BACKOFF);
    kit.turn();
    kit.producer().commitTransactionException = null;

    // when
    kit.time.advance(FIRST_BACKOFF.multipliedBy(2).minusMillis(1));
    kit.turn();
    boolean committedEarly = !kit.committedResults().isEmpty();
    kit.time.advance(Duration.ofMillis(1));
    kit.turn();

    // then
    assertThat(committedEarly).isFalse();
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L));
  }

  @Test
  void shouldReplaceAFencedProducerAndCommitTheResultThroughItsSuccessor() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();
    MockProducer<byte[], byte[]> fenced = kit.producer();
    fenced.commitTransactionException = new ProducerFencedException("another worker has w-1");

    // when
    kit.finishRunning().turn();
    kit.time.advance(FIRST_BACKOFF);
    kit.turn();

    // then
    assertThat(kit.transactional).hasSize(2);
    assertThat(fenced.closed()).isTrue();
    assertThat(fenced.history()).isEmpty();
    MockProducer<byte[], byte[]> successor = kit.producer();
    assertThat(successor.transactionInitialized()).isTrue();
    assertThat(successor.consumerGroupOffsetsHistory()).hasSize(1);
    assertThat(kit.committedResults()).extracting(TaskResult::getRunId).containsExactly("run-1");
  }

  @Test
  void shouldStopOnAnAuthorizationErrorInsteadOfRetrying() {
    // given
    TaskLoopKit kit = TaskLoopKit.withConcurrency(1).request(P0, 0, "run-1").turn();
    kit.producer().commitTransactionException =
        new TransactionalIdAuthorizationException("not allowed");
    kit.finishRunning();

    // when / then
    assertThatThrownBy(kit::turn)
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("failed for good");
    assertThat(kit.committedResults()).isEmpty();
  }
}

package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.common.WeftException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class TransactionsTest {

  private static final TopicPartition INPUT = new TopicPartition("weft.tasks.train", 0);
  private static final ConsumerGroupMetadata GROUP =
      new ConsumerGroupMetadata("weft.workers.train", 1, "member-1", Optional.empty());
  private static final ProducerRecord<byte[], byte[]> RESULT =
      new ProducerRecord<>("weft.results", new byte[] {1}, new byte[] {2});

  private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
  private final Transactions transactions = new Transactions(this::newProducer, "w-1");

  private MockProducer<byte[], byte[]> newProducer() {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    producers.add(producer);
    return producer;
  }

  @Test
  void shouldCommitRecordsAndTheNextInputOffsetInOneTransaction() {
    // given
    transactions.start();

    // when
    boolean committed =
        transactions.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);

    // then
    assertThat(committed).isTrue();
    MockProducer<byte[], byte[]> producer = producers.get(0);
    assertThat(producer.commitCount()).isEqualTo(1);
    assertThat(producer.history()).containsExactly(RESULT);
    assertThat(producer.consumerGroupOffsetsHistory())
        .singleElement()
        .satisfies(
            byGroup -> assertThat(byGroup.get(GROUP.groupId()).get(INPUT).offset()).isEqualTo(7));
  }

  @Test
  void shouldAbortAFailedTransactionAndReportItNotCommitted() {
    // given
    transactions.start();
    producers.get(0).commitTransactionException = new KafkaException("broker unavailable");

    // when
    boolean committed =
        transactions.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);

    // then
    assertThat(committed).isFalse();
    assertThat(producers).hasSize(1);
    assertThat(producers.get(0).transactionAborted()).isTrue();
    assertThat(producers.get(0).history()).isEmpty();
  }

  @Test
  void shouldReplaceAProducerWhoseAbortFails() {
    // given
    transactions.start();
    producers.get(0).commitTransactionException = new KafkaException("broker unavailable");
    producers.get(0).abortTransactionException = new KafkaException("still unavailable");

    // when
    boolean committed =
        transactions.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);

    // then
    assertThat(committed).isFalse();
    assertThat(producers).hasSize(2);
    assertThat(producers.get(0).closed()).isTrue();
    assertThat(producers.get(1).transactionInitialized()).isTrue();
  }

  @Test
  void shouldReplaceAProducerWhoseCommitTimedOutSinceItCannotAbortThen() {
    // given: KafkaProducer refuses any other operation after a commit that timed out
    transactions.start();
    producers.get(0).commitTransactionException = new TimeoutException("commit took too long");
    producers.get(0).abortTransactionException =
        new IllegalStateException(
            "Cannot attempt operation `abortTransaction` because the previous call to"
                + " `commitTransaction` timed out and must be retried");

    // when
    boolean committed =
        transactions.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);
    boolean retried =
        transactions.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);

    // then
    assertThat(committed).isFalse();
    assertThat(producers.get(0).closed()).isTrue();
    assertThat(retried).isTrue();
    assertThat(producers.get(1).history()).containsExactly(RESULT);
  }

  @Test
  void shouldReplaceAProducerWhoseEpochExpiredWithoutAborting() {
    // given
    transactions.start();
    producers.get(0).commitTransactionException = new InvalidProducerEpochException("expired");

    // when
    transactions.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);
    boolean retried =
        transactions.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);

    // then
    assertThat(producers.get(0).transactionAborted()).isFalse();
    assertThat(producers.get(0).closed()).isTrue();
    assertThat(retried).isTrue();
    assertThat(producers.get(1).history()).containsExactly(RESULT);
  }

  @Test
  void shouldTryAReplacementAgainAtTheNextCommitWhenItCannotBeInitializedYet() {
    // given: the old producer cannot abort, and its transaction coordinator is moving, so that the
    // first replacement's initialization times out
    AtomicInteger created = new AtomicInteger();
    Transactions moving =
        new Transactions(
            () -> {
              MockProducer<byte[], byte[]> producer = newProducer();
              if (created.incrementAndGet() == 2) {
                producer.initTransactionException = new TimeoutException("no coordinator yet");
              }
              return producer;
            },
            "w-1");
    moving.start();
    producers.get(0).commitTransactionException = new KafkaException("broker unavailable");
    producers.get(0).abortTransactionException = new KafkaException("still unavailable");

    // when
    boolean committed =
        moving.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);
    boolean retried =
        moving.commit(List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP);

    // then
    assertThat(committed).isFalse();
    assertThat(producers).hasSize(3);
    assertThat(producers.get(1).closed()).isTrue();
    assertThat(retried).isTrue();
    assertThat(producers.get(2).history()).containsExactly(RESULT);
  }

  @Test
  void shouldThrowWhenAReplacementIsNotAuthorized() {
    // given
    AtomicInteger created = new AtomicInteger();
    Transactions unauthorized =
        new Transactions(
            () -> {
              MockProducer<byte[], byte[]> producer = newProducer();
              if (created.incrementAndGet() == 2) {
                producer.initTransactionException =
                    new TransactionalIdAuthorizationException("not allowed: w-1");
              }
              return producer;
            },
            "w-1");
    unauthorized.start();
    producers.get(0).commitTransactionException = new InvalidProducerEpochException("expired");

    // when / then
    assertThatThrownBy(
            () ->
                unauthorized.commit(
                    List.of(RESULT), Map.of(INPUT, new OffsetAndMetadata(7L)), GROUP))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("w-1")
        .hasCauseInstanceOf(TransactionalIdAuthorizationException.class);
  }

  @Test
  void shouldNameTheTransactionalIdWhenTransactionsCannotBeInitialized() {
    // given
    Transactions failing =
        new Transactions(
            () -> {
              MockProducer<byte[], byte[]> producer = newProducer();
              producer.initTransactionException = new KafkaException("no coordinator");
              return producer;
            },
            "weft.workers.train.w-1");

    // when / then
    assertThatThrownBy(failing::start)
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("weft.workers.train.w-1");
    assertThat(producers.get(0).closed()).isTrue();
  }
}

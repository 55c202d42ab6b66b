package io.weft.workers.internals;

import io.weft.common.WeftException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional producer of one task loop: writes records together with an input offset, in one
 * transaction, so that both are committed or neither is. Poll-thread only.
 *
 * <p>A transaction that fails is aborted and reported as not committed: the caller retries later
 * with the same records, or drops them if it lost the partition meanwhile. When the producer itself
 * cannot go on (fenced, or an abort that fails, as any does after a commit that timed out) it is
 * replaced by a new one with the same transactional id, whose initialization completes or aborts
 * whatever the old one left open (if it completes a commit that timed out, the caller's retry
 * commits the result a second time, which the coordinator ignores). A replacement whose
 * initialization fails too (its transaction coordinator moving to another broker, or still
 * completing the old transaction) is tried again at the next commit: the caller backs off meanwhile
 * and its loop goes on. Errors no retry can fix (KIP-1050's fatal category: authentication,
 * authorization, configuration, an unsupported broker) are thrown.
 */
final class Transactions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Transactions.class);

  private final Supplier<Producer<byte[], byte[]>> factory;
  private final String transactionalId;
  private Producer<byte[], byte[]> producer;

  Transactions(Supplier<Producer<byte[], byte[]>> factory, String transactionalId) {
    this.factory = factory;
    this.transactionalId = transactionalId;
  }

  /** Creates the producer and initializes its transactions (fencing older instances). */
  void start() {
    producer = factory.get();
    try {
      producer.initTransactions();
    } catch (KafkaException e) {
      producer.close(Duration.ZERO);
      producer = null;
      throw new WeftException(
          "Cannot initialize transactions of " + transactionalId + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sends {@code records} and commits each partition's next offset (and its metadata) for the
   * consumer group, in one transaction.
   *
   * @return whether the transaction committed
   */
  boolean commit(
      List<ProducerRecord<byte[], byte[]>> records,
      Map<TopicPartition, OffsetAndMetadata> nextOffsets,
      ConsumerGroupMetadata group) {
    if (producer == null && !replace()) {
      return false;
    }
    try {
      producer.beginTransaction();
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record);
      }
      producer.sendOffsetsToTransaction(nextOffsets, group);
      producer.commitTransaction();
      return true;
    } catch (InvalidConfigurationException e) {
      // KIP-1050's fatal category: authentication, authorization, unsupported versions
      throw new WeftException(
          "Transaction of " + transactionalId + " failed for good: " + e.getMessage(), e);
    } catch (KafkaException e) {
      log.warn(
          "Transaction of {} for offsets {} failed, will retry: {}",
          transactionalId,
          offsetsOnly(nextOffsets),
          e.toString());
      recover(e);
      return false;
    }
  }

  private static Map<TopicPartition, Long> offsetsOnly(Map<TopicPartition, OffsetAndMetadata> in) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    in.forEach((partition, offset) -> offsets.put(partition, offset.offset()));
    return offsets;
  }

  private void recover(KafkaException failure) {
    if (!(failure instanceof ApplicationRecoverableException)) {
      try {
        producer.abortTransaction();
        return;
      } catch (KafkaException | IllegalStateException abortFailure) {
        // IllegalStateException: a commit that timed out allows nothing but its own retry
        log.warn("Abort of {} failed too: {}", transactionalId, abortFailure.toString());
      }
    } else {
      log.warn(
          "Producer {} was fenced or its epoch expired; if another live worker has the same"
              + " worker.id, give each worker its own",
          transactionalId);
    }
    producer.close(Duration.ZERO);
    producer = null;
    replace();
  }

  /** Starts a replacement producer; whether it is ready, or it is tried again later. */
  private boolean replace() {
    try {
      start();
      return true;
    } catch (WeftException e) {
      if (e.getCause() instanceof InvalidConfigurationException) {
        throw e;
      }
      log.warn("{}; will try again at the next commit", e.getMessage());
      return false;
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (KafkaException e) {
        log.debug("Closing {}: {}", transactionalId, e.toString());
      }
    }
  }
}

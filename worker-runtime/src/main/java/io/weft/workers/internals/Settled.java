package io.weft.workers.internals;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record settled without a handler, finished at once: dead-lettered (its letter, and a failed
 * result if the record named its attempt, commit with its offset), expired, or already done (a
 * request whose attempt had a committed result when its partition was assigned without a committed
 * offset, see {@link MissingOffsets}); of the last two only the offset commits.
 *
 * @param kind how it was settled
 * @param letter the dead letter, or null if not dead-lettered
 * @param failure the failed result of the attempt the dead letter held, or null
 * @param what what happened, for the log
 */
record Settled(
    Kind kind,
    TopicPartition partition,
    long offset,
    ProducerRecord<byte[], byte[]> letter,
    ProducerRecord<byte[], byte[]> failure,
    String what,
    Backoff commitBackoff)
    implements Pending {

  /** How a record was settled. */
  enum Kind {
    DEAD_LETTERED,
    EXPIRED,
    ALREADY_DONE
  }

  static Settled deadLettered(
      TopicPartition partition,
      long offset,
      ProducerRecord<byte[], byte[]> letter,
      ProducerRecord<byte[], byte[]> failure,
      String why) {
    return new Settled(
        Kind.DEAD_LETTERED,
        partition,
        offset,
        letter,
        failure,
        "dead-lettered to "
            + letter.topic()
            + (failure == null ? "" : " (its attempt reported failed)")
            + ": "
            + why,
        new Backoff());
  }

  static Settled expired(TopicPartition partition, long offset, String what) {
    return new Settled(Kind.EXPIRED, partition, offset, null, null, what, new Backoff());
  }

  static Settled alreadyDone(TopicPartition partition, long offset) {
    return new Settled(
        Kind.ALREADY_DONE,
        partition,
        offset,
        null,
        null,
        partition + " offset " + offset + ": its attempt already had a committed result",
        new Backoff());
  }

  List<ProducerRecord<byte[], byte[]>> records() {
    if (letter == null) {
      return List.of();
    }
    return failure == null ? List.of(letter) : List.of(letter, failure);
  }

  @Override
  public boolean isFinished() {
    return true;
  }
}

package io.weft.workers.internals;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record settled without a handler, finished at once: dead-lettered (its letter, and a failed
 * result if the record named its attempt, commit with its offset) or expired (only its offset
 * commits).
 *
 * @param letter the dead letter, or null if expired
 * @param failure the failed result of the attempt the dead letter held, or null
 * @param what what happened, for the log
 */
record Settled(
    TopicPartition partition,
    long offset,
    ProducerRecord<byte[], byte[]> letter,
    ProducerRecord<byte[], byte[]> failure,
    String what,
    Backoff commitBackoff)
    implements Pending {

  static Settled deadLettered(
      TopicPartition partition,
      long offset,
      ProducerRecord<byte[], byte[]> letter,
      ProducerRecord<byte[], byte[]> failure,
      String why) {
    return new Settled(
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
    return new Settled(partition, offset, null, null, what, new Backoff());
  }

  boolean isDeadLetter() {
    return letter != null;
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

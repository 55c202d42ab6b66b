package io.weft.workers.internals;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record settled without a handler, finished at once: dead-lettered (its letter commits with its
 * offset) or expired (only its offset commits).
 *
 * @param letter the dead letter, or null if expired
 * @param what what happened, for the log
 */
record Settled(
    TopicPartition partition,
    long offset,
    ProducerRecord<byte[], byte[]> letter,
    String what,
    Backoff commitBackoff)
    implements Pending {

  static Settled deadLettered(
      TopicPartition partition, long offset, ProducerRecord<byte[], byte[]> letter, String why) {
    return new Settled(
        partition,
        offset,
        letter,
        "dead-lettered to " + letter.topic() + ": " + why,
        new Backoff());
  }

  static Settled expired(TopicPartition partition, long offset, String what) {
    return new Settled(partition, offset, null, what, new Backoff());
  }

  boolean isDeadLetter() {
    return letter != null;
  }

  List<ProducerRecord<byte[], byte[]>> records() {
    return letter == null ? List.of() : List.of(letter);
  }

  @Override
  public boolean isFinished() {
    return true;
  }
}

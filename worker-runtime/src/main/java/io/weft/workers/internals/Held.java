package io.weft.workers.internals;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A request taken but not started: what its task declared does not fit beside the attempts running
 * now. It keeps its place in its partition's window, so its offset is not committed while later
 * requests of the partition run and finish; it starts when resources free up ({@link TaskLoop}).
 * Poll-thread only.
 */
final class Held implements Pending {

  private final ConsumerRecord<byte[], byte[]> record;
  private final Triage triage;
  private final long sequence;
  private final Backoff commitBackoff = new Backoff();

  /**
   * @param sequence the order in which requests were held, over all partitions: the first held
   *     starts first
   */
  Held(ConsumerRecord<byte[], byte[]> record, Triage triage, long sequence) {
    this.record = record;
    this.triage = triage;
    this.sequence = sequence;
  }

  ConsumerRecord<byte[], byte[]> record() {
    return record;
  }

  Triage triage() {
    return triage;
  }

  long sequence() {
    return sequence;
  }

  @Override
  public TopicPartition partition() {
    return new TopicPartition(record.topic(), record.partition());
  }

  @Override
  public long offset() {
    return record.offset();
  }

  @Override
  public boolean isFinished() {
    return false;
  }

  @Override
  public Backoff commitBackoff() {
    return commitBackoff;
  }
}

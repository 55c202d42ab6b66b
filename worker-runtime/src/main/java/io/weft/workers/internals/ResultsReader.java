package io.weft.workers.internals;

import org.apache.kafka.common.KafkaException;

/**
 * Reads which attempts have a committed result on the results topic, for a task loop whose group
 * lost its offsets ({@link MissingOffsets}): {@link ResultsTopicReader} in a worker, a fake in unit
 * tests.
 */
interface ResultsReader {

  /**
   * The attempts whose result is committed on the results topic now: every result from the
   * beginning of each partition to its end offset at the time of the call.
   *
   * @throws KafkaException if the topic or the schema registry cannot be read within the reader's
   *     timeout
   */
  DoneAttempts read();
}

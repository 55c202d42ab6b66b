package io.weft.workers.internals;

import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the results topic once, with a consumer of its own (no group, {@code read_committed}) that
 * it makes for the read and closes after: assigned every partition, from the beginning to the end
 * offsets taken when the read starts, within {@link #TIMEOUT}. It decodes each value and keeps the
 * attempts of the {@code TaskResult}s; heartbeats and progress are not results. A record that is
 * not a valid report is skipped (counted in a warning); an unreachable registry fails the read.
 */
final class ResultsTopicReader implements ResultsReader {

  private static final Logger log = LoggerFactory.getLogger(ResultsTopicReader.class);

  /**
   * How long one read may take, its consumer's calls included. It runs on the poll thread, while
   * the loop's consumer waits (within {@code max.poll.interval.ms}, 5 minutes by default).
   */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String topic;
  private final Deserializer<TaskReport> deserializer;
  private final Duration timeout;
  private final Time time;

  /**
   * @param consumers makes the read's consumer: without a group, {@code read_committed}
   */
  ResultsTopicReader(
      Supplier<Consumer<byte[], byte[]>> consumers,
      String topic,
      Deserializer<TaskReport> deserializer,
      Duration timeout,
      Time time) {
    this.consumers = consumers;
    this.topic = topic;
    this.deserializer = deserializer;
    this.timeout = timeout;
    this.time = time;
  }

  @Override
  public DoneAttempts read() {
    long deadline = time.milliseconds() + timeout.toMillis();
    Consumer<byte[], byte[]> consumer = consumers.get();
    try {
      return read(consumer, deadline);
    } finally {
      try {
        consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
      } catch (KafkaException e) {
        log.warn("Closing the consumer of {} failed: {}", topic, e.toString());
      }
    }
  }

  private DoneAttempts read(Consumer<byte[], byte[]> consumer, long deadline) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic, remaining(deadline))) {
      partitions.add(new TopicPartition(info.topic(), info.partition()));
    }
    if (partitions.isEmpty()) {
      throw new KafkaException("Topic " + topic + " has no partitions, or does not exist");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends =
        new HashMap<>(consumer.endOffsets(partitions, remaining(deadline)));
    Set<TopicPartition> unread = new HashSet<>(partitions);
    DoneAttempts.Builder done = DoneAttempts.builder();
    long undecodable = 0;
    while (true) {
      Duration left = remaining(deadline);
      unread.removeIf(partition -> consumer.position(partition, left) >= ends.get(partition));
      if (unread.isEmpty()) {
        break;
      }
      Set<TopicPartition> read = new HashSet<>(partitions);
      read.removeAll(unread);
      consumer.pause(read);
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(min(left, POLL))) {
        try {
          TaskReport report = deserializer.deserialize(topic, record.headers(), record.value());
          if (report != null && report.getReport() instanceof TaskResult result) {
            done.add(result);
          }
        } catch (UndecodableRecordException e) {
          undecodable++;
        }
      }
    }
    if (undecodable > 0) {
      log.warn("Skipped {} records of {} that are not valid reports", undecodable, topic);
    }
    return done.build();
  }

  /** The time left before {@code deadline}. */
  private Duration remaining(long deadline) {
    long left = deadline - time.milliseconds();
    if (left <= 0) {
      throw new TimeoutException(
          "Could not read " + topic + " to its end offsets within " + timeout.toMillis() + " ms");
    }
    return Duration.ofMillis(left);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

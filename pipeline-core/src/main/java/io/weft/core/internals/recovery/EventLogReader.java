package io.weft.core.internals.recovery;

import io.weft.common.WeftException;
import io.weft.schemas.events.RunEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;

/**
 * Reads the event log one partition at a time, each from its first record to its end offset,
 * through one consumer that reads committed records only. Only that partition is assigned while it
 * is read.
 */
public final class EventLogReader {

  private static final Duration POLL = Duration.ofMillis(100);

  /** The offsets a partition was read between: its log start offset and its end offset. */
  public record Extent(int partition, long startOffset, long endOffset) {

    /** Whether the partition's first records were deleted (by its retention, or deleteRecords). */
    public boolean truncated() {
      return startOffset > 0;
    }
  }

  private final org.apache.kafka.clients.consumer.Consumer<String, RunEvent> consumer;
  private final String topic;
  private final Duration timeout;
  private final Time time;

  /**
   * @param consumer a consumer with {@code isolation.level=read_committed}, no group commits
   * @param timeout how long a metadata call may take, and how long reading may go without progress
   */
  public EventLogReader(
      org.apache.kafka.clients.consumer.Consumer<String, RunEvent> consumer,
      String topic,
      Duration timeout,
      Time time) {
    this.consumer = consumer;
    this.topic = topic;
    this.timeout = timeout;
    this.time = time;
  }

  /**
   * Reads partition {@code partition} from its start to the end offset it has now, passing every
   * event to {@code sink} in order.
   *
   * @throws WeftException if the position does not move for {@code timeout} before the end
   */
  public Extent read(int partition, Consumer<RunEvent> sink) {
    TopicPartition tp = new TopicPartition(topic, partition);
    List<TopicPartition> only = List.of(tp);
    consumer.assign(only);
    consumer.seekToBeginning(only);
    long start = consumer.beginningOffsets(only, timeout).get(tp);
    long end = consumer.endOffsets(only, timeout).get(tp);
    long position = consumer.position(tp, timeout);
    long lastProgress = time.milliseconds();
    while (position < end) {
      for (ConsumerRecord<String, RunEvent> record : consumer.poll(POLL)) {
        if (record.value() != null) {
          sink.accept(record.value());
        }
      }
      long now = consumer.position(tp, timeout);
      if (now > position) {
        position = now;
        lastProgress = time.milliseconds();
      } else if (time.milliseconds() - lastProgress > timeout.toMillis()) {
        throw new WeftException(
            "Reading "
                + tp
                + " for recovery stopped at offset "
                + position
                + " of "
                + end
                + " for "
                + timeout.toSeconds()
                + " s");
      }
    }
    return new Extent(partition, start, end);
  }
}

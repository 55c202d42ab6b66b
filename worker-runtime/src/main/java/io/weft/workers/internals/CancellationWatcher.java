package io.weft.workers.internals;

import io.weft.common.WeftException;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.TaskTimedOut;
import io.weft.schemas.registry.SchemaRegistryException;
import io.weft.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the cancellations topic, from its end, with a consumer of its own (no group: every worker
 * sees every signal), and cancels the running attempts of each run stopped there. Signals are best
 * effort: a run's results are ignored by the coordinator once it stopped anyway; the signal only
 * spares the work.
 *
 * <p>It reads the partitions the topic has when the worker starts.
 */
final class CancellationWatcher {

  private static final Logger log = LoggerFactory.getLogger(CancellationWatcher.class);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Deserializer<RunEvent> deserializer;
  private final RunningTasks running;
  private final Duration pollTimeout;
  private final Time time;

  /** Notified when closing, to end a pause after an error early. */
  private final Object stopped = new Object();

  private final Thread thread;
  private volatile boolean closing;

  CancellationWatcher(
      Consumer<byte[], byte[]> consumer,
      String topic,
      Deserializer<RunEvent> deserializer,
      RunningTasks running,
      Duration pollTimeout,
      Time time) {
    this.consumer = consumer;
    this.topic = topic;
    this.deserializer = deserializer;
    this.running = running;
    this.pollTimeout = pollTimeout;
    this.time = time;
    this.thread = new Thread(this::run, "weft-worker-cancellations");
    this.thread.setDaemon(true);
  }

  /**
   * Assigns every partition, positions at the end and only then starts following: a signal
   * published after this returns is seen.
   */
  void start() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new WeftException("Topic " + topic + " has no partitions to follow");
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end offsets now
    thread.start();
  }

  void close(Duration timeout) throws InterruptedException {
    closing = true;
    consumer.wakeup();
    synchronized (stopped) {
      stopped.notifyAll();
    }
    thread.join(Math.max(1, timeout.toMillis()));
  }

  private void run() {
    try {
      while (!closing) {
        try {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
            if (!handle(record)) {
              pauseAfterError();
              break;
            }
          }
        } catch (WakeupException e) {
          // closing
        } catch (KafkaException e) {
          log.warn("Reading {} failed, will retry: {}", topic, e.toString());
          pauseAfterError();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        log.debug("Closing the consumer of {}: {}", topic, e.toString());
      }
    }
  }

  /** Waits {@link #ERROR_PAUSE} by the watcher's clock, or until closing. */
  private void pauseAfterError() throws InterruptedException {
    long deadlineMs = time.milliseconds() + ERROR_PAUSE.toMillis();
    try {
      time.waitObject(stopped, () -> closing, deadlineMs);
    } catch (TimeoutException pausedLongEnough) {
      log.debug("Retrying {} after {}", topic, ERROR_PAUSE);
    }
  }

  /** False if the record must be read again (the registry is unreachable). */
  private boolean handle(ConsumerRecord<byte[], byte[]> record) {
    RunEvent event;
    try {
      event = deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (UndecodableRecordException e) {
      log.warn("Ignoring an undecodable record of {}: {}", topic, e.getMessage());
      return true;
    } catch (SchemaRegistryException e) {
      log.warn("Cannot read {} now, will retry: {}", topic, e.getMessage());
      consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
      return false;
    }
    if (event == null) {
      return true;
    }
    if (event.getEvent() instanceof RunCancelled || event.getEvent() instanceof RunFailed) {
      int cancelled = running.runStopped(event.getRunId());
      if (cancelled > 0) {
        log.info("Run {} stopped: cancelled {} running attempt(s)", event.getRunId(), cancelled);
      }
    } else if (event.getEvent() instanceof TaskTimedOut timedOut
        && running.attemptTimedOut(event.getRunId(), timedOut.getTaskId(), timedOut.getAttempt())) {
      log.info(
          "Attempt {}/{}/{} timed out: told it to stop",
          event.getRunId(),
          timedOut.getTaskId(),
          timedOut.getAttempt());
    }
    return true;
  }
}

package io.weft.workers.internals;

import io.weft.schemas.results.TaskProgress;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats and progress reports of one task loop: advisory, so sent best effort with the
 * idempotent non-transactional producer. Handlers queue progress from their threads ({@link
 * #queue}); the poll thread sends it ({@link #sendDue}), so that producer calls stay there.
 */
final class AdvisoryReports {

  private static final Logger log = LoggerFactory.getLogger(AdvisoryReports.class);
  private static final int QUEUE_CAPACITY = 10_000;

  private final Producer<byte[], byte[]> producer;
  private final Reports reports;
  private final long heartbeatNanos;
  private final Time time;
  private final BlockingQueue<TaskProgress> progress = new LinkedBlockingQueue<>(QUEUE_CAPACITY);

  AdvisoryReports(
      Producer<byte[], byte[]> producer, Reports reports, long heartbeatNanos, Time time) {
    this.producer = producer;
    this.reports = reports;
    this.heartbeatNanos = heartbeatNanos;
    this.time = time;
  }

  /** Queues a progress report; any thread. Drops it if the queue is full (advisory). */
  void queue(TaskProgress report) {
    if (!progress.offer(report)) {
      log.debug("Progress queue full; dropped a progress report of {}", report.getTaskId());
    }
  }

  /** Sends the heartbeats due now for {@code running}, then the queued progress. */
  void sendDue(Collection<Execution> running) {
    long now = time.nanoseconds();
    for (Execution execution : running) {
      if (execution.heartbeatDue(now, heartbeatNanos)) {
        send(() -> reports.heartbeat(execution.context().request(), execution.startedAt()));
      }
    }
    TaskProgress report;
    while ((report = progress.poll()) != null) {
      TaskProgress next = report;
      send(() -> reports.report(next.getRunId(), next));
    }
  }

  /** Waits until everything sent so far is acknowledged or failed. */
  void flush() {
    producer.flush();
  }

  private void send(Supplier<ProducerRecord<byte[], byte[]>> record) {
    try {
      producer.send(
          record.get(),
          (metadata, e) -> {
            if (e != null) {
              log.debug("A heartbeat or progress report was not sent: {}", e.toString());
            }
          });
    } catch (KafkaException e) {
      log.warn("Cannot send a heartbeat or progress report: {}", e.toString());
    }
  }
}

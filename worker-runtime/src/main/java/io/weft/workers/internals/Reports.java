package io.weft.workers.internals;

import io.weft.core.api.DeadLetters;
import io.weft.core.api.TaskRequestHeaders;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Time;

/**
 * Builds the records a task loop writes: reports on the results topic (keyed by run id, so that
 * they meet the run's state in the coordinator) and dead letters. Serialization happens here, on
 * the poll thread and outside any transaction, so that an unreachable registry never leaves a
 * transaction half-written.
 */
final class Reports {

  private final String resultsTopic;
  private final String deadLetterTopic;
  private final String component;
  private final String workerId;
  private final Serializer<TaskReport> serializer;
  private final Time time;

  Reports(
      String resultsTopic,
      String deadLetterTopic,
      String type,
      String workerId,
      Serializer<TaskReport> serializer,
      Time time) {
    this.resultsTopic = resultsTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.component = "worker:" + type;
    this.workerId = workerId;
    this.serializer = serializer;
    this.time = time;
  }

  /**
   * A report (TaskResult, TaskHeartbeat or TaskProgress) for {@code runId}.
   *
   * @throws org.apache.kafka.common.KafkaException if it cannot be serialized (registry down)
   */
  ProducerRecord<byte[], byte[]> report(String runId, Object report) {
    byte[] value = serializer.serialize(resultsTopic, new TaskReport(report));
    return new ProducerRecord<>(resultsTopic, runId.getBytes(StandardCharsets.UTF_8), value);
  }

  /**
   * A failed result for an attempt whose request record could not be read (set aside on the
   * dead-letter topic), named by the record's headers: the attempt fails at once, not retried,
   * instead of waiting out its timeout.
   *
   * @throws org.apache.kafka.common.KafkaException if it cannot be serialized (registry down)
   */
  ProducerRecord<byte[], byte[]> unreadable(TaskRequestHeaders.Attempt attempt, Throwable why) {
    Instant now = Instant.ofEpochMilli(time.milliseconds());
    String message =
        "worker "
            + workerId
            + " ("
            + component
            + ") could not read the request of this attempt and set it aside on "
            + deadLetterTopic
            + ": "
            + why.getMessage();
    return report(
        attempt.runId(),
        TaskResult.newBuilder()
            .setRunId(attempt.runId())
            .setTaskId(attempt.taskId())
            .setAttempt(attempt.attempt())
            .setStatus(TaskOutcome.FAILED)
            .setError(new TaskError(RecordReader.INVALID_REQUEST, message, false))
            .setWorkerId(workerId)
            .setStartedAt(now)
            .setFinishedAt(now)
            .build());
  }

  /** A heartbeat, now, for the attempt of {@code request} that started at {@code startedAt}. */
  ProducerRecord<byte[], byte[]> heartbeat(TaskRequest request, Instant startedAt) {
    return report(
        request.getRunId(),
        new TaskHeartbeat(
            request.getRunId(),
            request.getTaskId(),
            request.getAttempt(),
            workerId,
            Instant.ofEpochMilli(time.milliseconds()),
            startedAt));
  }

  /** {@code record} as it is, with headers naming where it came from and why it is set aside. */
  ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, Throwable why) {
    Headers headers =
        DeadLetters.headers(record.topic(), record.partition(), record.offset(), why, component);
    for (Header header : record.headers()) {
      headers.add(header);
    }
    return new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
  }
}

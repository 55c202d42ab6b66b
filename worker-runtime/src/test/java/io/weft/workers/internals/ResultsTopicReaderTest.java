package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.api.WeftTopics;
import io.weft.core.testing.ManualTime;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The reader of the results topic on Kafka's {@code MockConsumer}: what it collects, where it
 * stops, and when it gives up.
 */
class ResultsTopicReaderTest {

  private static final String TOPIC = WeftTopics.withDefaultPrefix().results();
  private static final TopicPartition R0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition R1 = new TopicPartition(TOPIC, 1);
  private static final Map<String, Object> SERDE =
      Map.of("schema.registry.url", "mock://results-topic-reader");

  private static final Instant FINISHED = ManualTime.START.plusSeconds(5);

  private final ManualTime time = new ManualTime();
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("none");
  private final ResultsTopicReader reader =
      new ResultsTopicReader(
          () -> consumer,
          TOPIC,
          new AvroDeserializer<>(TaskReport.class, SERDE),
          Duration.ofSeconds(60),
          time);

  ResultsTopicReaderTest() {
    GeneratedClasses.trust();
    consumer.updatePartitions(
        TOPIC,
        List.of(
            new PartitionInfo(TOPIC, 0, null, null, null),
            new PartitionInfo(TOPIC, 1, null, null, null)));
    consumer.updateBeginningOffsets(Map.of(R0, 0L, R1, 0L));
  }

  @Test
  void shouldCollectTheAttemptsOfResultsAndNotOfHeartbeatsProgressOrBadRecords() {
    // given
    consumer.updateEndOffsets(Map.of(R0, 3L, R1, 4L));
    consumer.schedulePollTask(
        () -> {
          add(R0, 0, report(result("run-1", "fit", 1)));
          add(R0, 1, report(heartbeat("run-2", "fit", 1)));
          add(R0, 2, report(result("run-1", "fit", 2)));
          add(R1, 0, report(progress("run-3", "fit", 1)));
          add(R1, 1, null); // a tombstone
          add(R1, 2, new byte[] {1, 2, 3}); // not a report
          add(R1, 3, report(result("run-4", "prep", 3)));
        });

    // when
    DoneAttempts done = reader.read();

    // then
    assertThat(done.results()).isEqualTo(3);
    assertThat(done.tasks()).isEqualTo(2);
    assertThat(done.covers("run-1", "fit", 1, Long.MIN_VALUE)).isTrue();
    assertThat(done.covers("run-1", "fit", 1, FINISHED.toEpochMilli())).isTrue();
    assertThat(done.covers("run-1", "fit", 1, FINISHED.toEpochMilli() + 1)).isFalse();
    assertThat(done.covers("run-1", "fit", 2, Long.MIN_VALUE)).isTrue();
    assertThat(done.covers("run-1", "fit", 3, Long.MIN_VALUE)).isFalse();
    assertThat(done.covers("run-2", "fit", 1, Long.MIN_VALUE)).isFalse();
    assertThat(done.covers("run-3", "fit", 1, Long.MIN_VALUE)).isFalse();
    assertThat(done.covers("run-4", "prep", 2, Long.MIN_VALUE)).isTrue();
    assertThat(done.covers("run-4", "fit", 1, Long.MIN_VALUE)).isFalse();
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void shouldReadNothingOfAnEmptyTopic() {
    // given
    consumer.updateEndOffsets(Map.of(R0, 0L, R1, 0L));

    // when
    DoneAttempts done = reader.read();

    // then
    assertThat(done).isSameAs(DoneAttempts.NONE);
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void shouldStopAtTheEndOffsetsTakenWhenItStarts() {
    // given: R0 ends at 1 when the read starts; R1 is empty
    consumer.updateEndOffsets(Map.of(R0, 1L, R1, 0L));
    consumer.schedulePollTask(() -> add(R0, 0, report(result("run-1", "fit", 1))));
    consumer.schedulePollTask(() -> add(R0, 1, report(result("run-2", "fit", 1))));

    // when
    DoneAttempts done = reader.read();

    // then: one poll only
    assertThat(done.covers("run-1", "fit", 1, Long.MIN_VALUE)).isTrue();
    assertThat(done.covers("run-2", "fit", 1, Long.MIN_VALUE)).isFalse();
  }

  @Test
  void shouldFailWhenItCannotReachTheEndOffsetsWithinItsTimeout() {
    // given: records up to offset 5 that never come
    consumer.updateEndOffsets(Map.of(R0, 5L, R1, 0L));
    for (int i = 0; i < 3; i++) {
      consumer.schedulePollTask(() -> time.advance(Duration.ofSeconds(30)));
    }

    // when, then
    assertThatThrownBy(reader::read)
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining(TOPIC)
        .hasMessageContaining("60000 ms");
    assertThat(consumer.closed()).isTrue();
  }

  private void add(TopicPartition partition, long offset, byte[] value) {
    consumer.addRecord(
        new ConsumerRecord<>(
            partition.topic(),
            partition.partition(),
            offset,
            "run".getBytes(StandardCharsets.UTF_8),
            value));
  }

  private static byte[] report(Object report) {
    return new AvroSerializer<TaskReport>(SERDE, false).serialize(TOPIC, new TaskReport(report));
  }

  private static TaskResult result(String runId, String taskId, int attempt) {
    return TaskResult.newBuilder()
        .setRunId(runId)
        .setTaskId(taskId)
        .setAttempt(attempt)
        .setStatus(TaskOutcome.SUCCEEDED)
        .setWorkerId("w-1")
        .setStartedAt(ManualTime.START)
        .setFinishedAt(FINISHED)
        .build();
  }

  private static TaskHeartbeat heartbeat(String runId, String taskId, int attempt) {
    return TaskHeartbeat.newBuilder()
        .setRunId(runId)
        .setTaskId(taskId)
        .setAttempt(attempt)
        .setWorkerId("w-1")
        .setSentAt(ManualTime.START)
        .build();
  }

  private static TaskProgress progress(String runId, String taskId, int attempt) {
    return TaskProgress.newBuilder()
        .setRunId(runId)
        .setTaskId(taskId)
        .setAttempt(attempt)
        .setWorkerId("w-1")
        .setStep(1)
        .setReportedAt(ManualTime.START)
        .build();
  }
}

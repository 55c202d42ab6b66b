package io.weft.core.internals.recovery;

import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskScheduled;
import io.weft.schemas.events.TaskSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Test kit: the events of whole runs, as the coordinator writes them, and their records. */
final class RunEvents {

  static {
    GeneratedClasses.trust();
  }

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final Duration TASK_TIMEOUT = Duration.ofHours(1);

  private RunEvents() {}

  /** A one-task run that finished: started, scheduled, succeeded, run succeeded. */
  static List<RunEvent> finished(String runId) {
    List<RunEvent> events = running(runId);
    events.add(
        event(
            runId,
            2,
            TaskSucceeded.newBuilder()
                .setTaskId("a")
                .setAttempt(1)
                .setWorkerId("worker-1")
                .setDurationMs(10)
                .build()));
    events.add(event(runId, 3, RunSucceeded.newBuilder().setDurationMs(20).build()));
    return events;
  }

  /** A one-task run whose task is in flight: started and scheduled, with a deadline. */
  static List<RunEvent> running(String runId) {
    List<RunEvent> events = new ArrayList<>();
    events.add(
        event(
            runId, 0, RunStarted.newBuilder().setWorkflowName("w").setWorkflowVersion(1).build()));
    events.add(
        event(
            runId,
            1,
            TaskScheduled.newBuilder()
                .setTaskId("a")
                .setType("t")
                .setAttempt(1)
                .setDeadline(T0.plus(TASK_TIMEOUT))
                .build()));
    return events;
  }

  static RunEvent event(String runId, long sequence, Object event) {
    return RunEvent.newBuilder()
        .setRunId(runId)
        .setSequence(sequence)
        .setTimestamp(T0.plusMillis(sequence))
        .setEvent(event)
        .build();
  }

  /** Run ids that Kafka's default partitioner puts in {@code partition} of {@code partitions}. */
  static List<String> runIdsIn(int partition, int partitions, int count) {
    return IntStream.iterate(0, i -> i + 1)
        .mapToObj(i -> "run-" + i)
        .filter(id -> ChangelogWriter.partitionOf(id, partitions) == partition)
        .limit(count)
        .toList();
  }

  /** {@code events} as consecutive records of one partition, from {@code firstOffset}. */
  static List<ConsumerRecord<String, RunEvent>> records(
      String topic, int partition, long firstOffset, List<RunEvent> events) {
    List<ConsumerRecord<String, RunEvent>> records = new ArrayList<>();
    for (RunEvent event : events) {
      records.add(
          new ConsumerRecord<>(
              topic, partition, firstOffset + records.size(), event.getRunId(), event));
    }
    return records;
  }
}

package io.weft.core.internals.recovery;

import io.weft.common.WeftException;
import io.weft.core.internals.coordinator.CoordinatorTopology;
import io.weft.core.internals.coordinator.EventApplier;
import io.weft.core.internals.coordinator.Timer;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Rebuilds the coordinator's state from the event log: every run's state is the fold of its events
 * (the coordinator writes them in the same transactions as its state and dispatches), and its
 * timers follow from that state.
 */
public final class StateRebuilder {

  private final Map<String, RunState> runs = new HashMap<>();
  private long events;

  /** Folds one event into its run's state. */
  public void apply(RunEvent event) {
    RunState folded = EventApplier.apply(runs.get(event.getRunId()), event);
    if (folded != null) {
      runs.put(event.getRunId(), folded);
    }
    events++;
  }

  /** Reads the whole events topic (committed records only) and folds it. */
  public StateRebuilder readAll(
      Map<String, Object> consumerProps,
      String eventsTopic,
      Deserializer<RunEvent> values,
      Duration timeout) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    try (KafkaConsumer<String, RunEvent> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), values)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(eventsTopic, timeout).stream()
              .map(p -> new TopicPartition(eventsTopic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos() * 10;
      while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new WeftException(
              "Reading " + eventsTopic + " for recovery did not finish in time");
        }
        for (ConsumerRecord<String, RunEvent> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null) {
            apply(record.value());
          }
        }
      }
    }
    return this;
  }

  public Map<String, RunState> runs() {
    return runs;
  }

  public long eventsRead() {
    return events;
  }

  /**
   * The timers a run needs: a running run's in-flight attempts' deadlines and its due retries, a
   * finished run's expiry {@code retention} after it finished (due at once if that has passed).
   */
  public static List<Timer> timers(RunState run, Duration retention) {
    List<Timer> timers = new ArrayList<>();
    if (run.getStatus() != RunStatus.RUNNING) {
      Timer.expiry(run, retention).ifPresent(timers::add);
      return timers;
    }
    for (Map.Entry<String, TaskState> entry : run.getTasks().entrySet()) {
      TaskState task = entry.getValue();
      if ((task.getStatus() == TaskStatus.SCHEDULED || task.getStatus() == TaskStatus.RUNNING)
          && task.getDeadline() != null) {
        timers.add(
            new Timer(
                task.getDeadline(),
                run.getRunId(),
                entry.getKey(),
                task.getAttempt(),
                Timer.Kind.TIMEOUT));
      } else if (task.getStatus() == TaskStatus.RETRY_PENDING && task.getRetryAt() != null) {
        timers.add(
            new Timer(
                task.getRetryAt(),
                run.getRunId(),
                entry.getKey(),
                task.getAttempt() + 1,
                Timer.Kind.RETRY));
      }
    }
    return timers;
  }

  /** The partition Kafka's default partitioner gives a run id: where its state and timers live. */
  public static int partitionOf(String runId, int partitions) {
    return Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The changelog topic of one of the coordinator's stores. */
  public static String changelog(String applicationId, String store) {
    return applicationId + "-" + store + "-changelog";
  }

  public static String runsChangelog(String applicationId) {
    return changelog(applicationId, CoordinatorTopology.RUNS_STORE);
  }

  public static String timersChangelog(String applicationId) {
    return changelog(applicationId, CoordinatorTopology.TIMERS_STORE);
  }
}

package io.weft.core.internals.recovery;

import io.weft.common.WeftException;
import io.weft.core.internals.coordinator.RunPartitioner;
import io.weft.core.internals.coordinator.RunRecords;
import io.weft.core.internals.coordinator.TaskIds;
import io.weft.core.internals.coordinator.Timer;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes rebuilt run states and their timers to the coordinator's changelog topics, in the layout
 * of {@link RunRecords} (the run, its forEach children and its parameters apart, its index entry),
 * each run in the partition of its run id (where the coordinator's task for that run restores its
 * stores from), and waits until the broker has acknowledged every record.
 */
public final class ChangelogWriter {

  /** What one call wrote. */
  public record Written(int runs, int runningRuns, int timers) {}

  private final Producer<String, RunState> states;
  private final Producer<String, TaskState> children;
  private final Producer<String, String> timers;
  private final String runsTopic;
  private final String childrenTopic;
  private final String indexTopic;
  private final String paramsTopic;
  private final String timersTopic;
  private final int partitions;
  private final Duration retention;
  private final Duration timeout;

  /**
   * @param timers writes the timers, the parameters and the index entries (string values)
   * @param partitions the partition count of the changelogs (and of the event log)
   * @param retention how long a finished run's state is kept ({@code weft.run.retention.ms})
   * @param timeout how long to wait for the acknowledgement of one record
   */
  public ChangelogWriter(
      Producer<String, RunState> states,
      Producer<String, TaskState> children,
      Producer<String, String> timers,
      String applicationId,
      int partitions,
      Duration retention,
      Duration timeout) {
    this.states = states;
    this.children = children;
    this.timers = timers;
    this.runsTopic = StateRebuilder.runsChangelog(applicationId);
    this.childrenTopic = StateRebuilder.childrenChangelog(applicationId);
    this.indexTopic = StateRebuilder.indexChangelog(applicationId);
    this.paramsTopic = StateRebuilder.paramsChangelog(applicationId);
    this.timersTopic = StateRebuilder.timersChangelog(applicationId);
    this.partitions = partitions;
    this.retention = retention;
    this.timeout = timeout;
  }

  /**
   * Writes {@code runs} and their timers and returns once every record is acknowledged.
   *
   * @throws WeftException if a record is not acknowledged within the timeout, or fails
   */
  public Written write(Collection<RunState> runs) {
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    int running = 0;
    int timerCount = 0;
    for (RunState run : runs) {
      int partition = partitionOf(run.getRunId(), partitions);
      String runId = run.getRunId();
      boolean paramsApart = RunRecords.paramsApart(run);
      sends.add(
          states.send(
              new ProducerRecord<>(
                  runsTopic, partition, runId, RunRecords.withoutChildren(run, !paramsApart))));
      for (Map.Entry<String, TaskState> task : run.getTasks().entrySet()) {
        if (TaskIds.isChild(task.getKey())) {
          sends.add(
              children.send(
                  new ProducerRecord<>(
                      childrenTopic,
                      partition,
                      RunRecords.childKey(runId, task.getKey()),
                      task.getValue())));
        }
      }
      if (paramsApart) {
        sends.add(
            timers.send(
                new ProducerRecord<>(
                    paramsTopic, partition, runId, RunRecords.encodeParams(run.getParams()))));
      }
      sends.add(
          timers.send(
              new ProducerRecord<>(
                  indexTopic,
                  partition,
                  RunRecords.indexKey(run.getStatus(), run.getStartedAt(), runId),
                  "")));
      for (Timer timer : timers(run, retention)) {
        sends.add(timers.send(new ProducerRecord<>(timersTopic, partition, timer.key(), "")));
        timerCount++;
      }
      if (run.getStatus() == RunStatus.RUNNING) {
        running++;
      }
    }
    await(sends);
    return new Written(runs.size(), running, timerCount);
  }

  private void await(List<Future<RecordMetadata>> sends) {
    try {
      for (Future<RecordMetadata> send : sends) {
        send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      throw new WeftException(
          "Writing the recovered state failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new WeftException(
          "Writing the recovered state failed: no acknowledgement within "
              + timeout.toSeconds()
              + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while writing the recovered state", e);
    }
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

  /**
   * The partition Kafka's default partitioner gives a run id: where its commands, results and
   * events are, and so where its state and timers live.
   */
  public static int partitionOf(String runId, int partitions) {
    return RunPartitioner.of(runId.getBytes(StandardCharsets.UTF_8), partitions);
  }
}

package io.weft.workers.internals;

import io.weft.core.api.TaskRequestHeaders;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of a task loop that hold requests but were assigned without a committed offset:
 * the group is new, or its offsets expired (after the broker's {@code offsets.retention.minutes}
 * while no worker of the type ran) or were deleted, and the consumer starts from the beginning of
 * the topic. Their requests below the end offset taken at assignment may have been executed
 * already: one whose attempt, or a later attempt of its task, has a committed result on the results
 * topic ({@link ResultsReader}, read once per assignment) that finished after the request was
 * dispatched is done, and the loop settles it without running it, committing only its offset.
 * Requests at or above that end offset, and partitions assigned with a committed offset, are never
 * looked up. A partition's set is dropped once its position passes the end offset, or when it is
 * revoked. Poll-thread only.
 */
final class MissingOffsets {

  private static final Logger log = LoggerFactory.getLogger(MissingOffsets.class);

  /**
   * How far behind the coordinator's clock a worker's may be: a result that finished up to this
   * long before its request was dispatched still counts.
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private final String type;
  private final ResultsReader results;

  /** The partitions catching up, by partition. */
  private final Map<TopicPartition, CatchingUp> catchingUp = new HashMap<>();

  /** The end offsets taken of partitions whose results could not be read yet. */
  private final Map<TopicPartition, Long> awaitingResults = new TreeMap<>(ORDER);

  private boolean failing;

  MissingOffsets(String type, ResultsReader results) {
    this.type = type;
    this.results = results;
  }

  /** A partition catching up: the end offset taken at assignment, and the attempts done then. */
  private static final class CatchingUp {
    final long end;
    final DoneAttempts done;
    long skipped;

    CatchingUp(long end, DoneAttempts done) {
      this.end = end;
      this.done = done;
    }
  }

  /**
   * Prepares {@code uncommitted}, assigned partitions without a committed offset: those that hold
   * requests (log start offset below the end offset) catch up, with the attempts that have a
   * committed result, read once for all of them (and for those whose read failed before, whose end
   * offsets were taken then).
   *
   * @return the partitions it could not prepare (offsets or results unreadable): they must take
   *     nothing, and be prepared again after a backoff
   */
  Set<TopicPartition> prepare(Consumer<?, ?> consumer, Collection<TopicPartition> uncommitted) {
    List<TopicPartition> unknown = new ArrayList<>();
    for (TopicPartition partition : uncommitted) {
      if (!catchingUp.containsKey(partition) && !awaitingResults.containsKey(partition)) {
        unknown.add(partition);
      }
    }
    if (!unknown.isEmpty() && !takeEndOffsets(consumer, unknown)) {
      return notCatchingUp(uncommitted);
    }
    if (awaitingResults.isEmpty()) {
      return Set.of();
    }
    DoneAttempts done;
    try {
      done = results.read();
    } catch (KafkaException e) {
      failed("the committed results of " + awaitingResults.keySet(), e);
      return notCatchingUp(uncommitted);
    }
    failing = false;
    awaitingResults.forEach(
        (partition, end) -> catchingUp.put(partition, new CatchingUp(end, done)));
    log.info(
        "Type '{}': read the committed results ({}); requests of {} below offsets {} whose"
            + " attempt has one are skipped",
        type,
        done,
        awaitingResults.keySet(),
        awaitingResults);
    awaitingResults.clear();
    return Set.of();
  }

  /**
   * Takes the end offsets of those of {@code partitions} that hold requests, which then await the
   * results, and warns; whether it could.
   */
  private boolean takeEndOffsets(Consumer<?, ?> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> holding = new TreeMap<>(ORDER);
    try {
      Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      for (TopicPartition partition : partitions) {
        if (starts.get(partition) < ends.get(partition)) {
          holding.put(partition, ends.get(partition));
        }
      }
    } catch (KafkaException e) {
      failed("the offsets of " + partitions, e);
      return false;
    }
    if (!holding.isEmpty()) {
      awaitingResults.putAll(holding);
      log.warn(
          "Type '{}': group '{}' has no committed offsets for {}, which hold requests: a new"
              + " group, or its offsets expired after the broker's offsets.retention.minutes"
              + " while no worker of the type ran, or they were deleted. Requests below offsets"
              + " {} whose attempt already has a committed result will be skipped, not executed"
              + " again",
          type,
          consumer.groupMetadata().groupId(),
          holding.keySet(),
          holding);
    }
    return true;
  }

  private Set<TopicPartition> notCatchingUp(Collection<TopicPartition> partitions) {
    Set<TopicPartition> not = new HashSet<>();
    for (TopicPartition partition : partitions) {
      if (!catchingUp.containsKey(partition)) {
        not.add(partition);
      }
    }
    return not;
  }

  private void failed(String what, KafkaException e) {
    if (!failing) { // once per outage; retries log at debug
      log.warn(
          "Type '{}': cannot read {} now, will retry with backoff; those partitions take nothing"
              + " meanwhile: {}",
          type,
          what,
          e.toString());
    } else {
      log.debug("Type '{}': still cannot read {}: {}", type, what, e.toString());
    }
    failing = true;
  }

  /**
   * Whether the request {@code record} is done already, by the attempt its headers name; false if
   * they name none. Counts it as skipped if so.
   */
  boolean isDone(TopicPartition partition, ConsumerRecord<?, ?> record) {
    CatchingUp state = below(partition, record.offset());
    if (state == null) {
      return false;
    }
    return TaskRequestHeaders.read(record.headers())
        .map(
            named ->
                isDone(state, partition, record, named.runId(), named.taskId(), named.attempt()))
        .orElse(false);
  }

  /**
   * Whether {@code request}, read from {@code record}, is done already. Counts it as skipped if so.
   */
  boolean isDone(TopicPartition partition, ConsumerRecord<?, ?> record, TaskRequest request) {
    CatchingUp state = below(partition, record.offset());
    return state != null
        && isDone(
            state,
            partition,
            record,
            request.getRunId(),
            request.getTaskId(),
            request.getAttempt());
  }

  /**
   * Whether the attempt has a result that finished after its request was dispatched (the record's
   * timestamp, the coordinator's clock, less {@link #CLOCK_SKEW} for the worker's): an older one is
   * of an earlier run with the same id.
   */
  private boolean isDone(
      CatchingUp state,
      TopicPartition partition,
      ConsumerRecord<?, ?> record,
      String runId,
      String taskId,
      int attempt) {
    long notBefore =
        record.timestamp() < 0 ? Long.MIN_VALUE : record.timestamp() - CLOCK_SKEW.toMillis();
    if (!state.done.covers(runId, taskId, attempt, notBefore)) {
      return false;
    }
    state.skipped++;
    log.debug(
        "Skipping {} offset {}: attempt {} of {}/{} already has a committed result",
        partition,
        record.offset(),
        attempt,
        runId,
        taskId);
    return true;
  }

  private CatchingUp below(TopicPartition partition, long offset) {
    if (catchingUp.isEmpty()) {
      return null;
    }
    CatchingUp state = catchingUp.get(partition);
    return state == null || offset >= state.end ? null : state;
  }

  /**
   * Called after the records of {@code partition} were taken: once the consumer's position passes
   * the end offset taken at assignment, the partition has caught up, which it logs, and its set is
   * dropped. Asks the consumer nothing about partitions not catching up.
   */
  void reached(TopicPartition partition, Consumer<?, ?> consumer) {
    CatchingUp state = catchingUp.isEmpty() ? null : catchingUp.get(partition);
    if (state == null || consumer.position(partition) < state.end) {
      return;
    }
    catchingUp.remove(partition);
    log.info(
        "Type '{}': {} caught up with offset {}: skipped {} requests already done",
        type,
        partition,
        state.end,
        state.skipped);
  }

  /** Forgets {@code partition} (revoked or lost). */
  void forget(TopicPartition partition) {
    catchingUp.remove(partition);
    awaitingResults.remove(partition);
  }

  /** Forgets every partition. */
  void clear() {
    catchingUp.clear();
    awaitingResults.clear();
  }
}

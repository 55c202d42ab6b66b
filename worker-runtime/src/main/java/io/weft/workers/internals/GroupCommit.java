package io.weft.workers.internals;

import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits what finished, of every partition, in one transaction: the results of attempts, dead
 * letters, and each partition's first unfinished offset with the finished ones above it ({@link
 * PartitionOffsets#commitWith}). What fails to commit backs off and is retried. Counts each
 * transaction that commits, and the results it carried ({@link WorkerCounters#transactions}, {@link
 * WorkerCounters#committedResults}). Poll-thread only.
 */
final class GroupCommit {

  private final TypeMeters meters;

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  private final TaskLoopClients clients;
  private final LoopPartitions partitions;
  private final AdvisoryReports advisory;
  private final RunningTasks running;
  private final WorkerCounters counters;
  private final int maxResultBytes;
  private final Time time;

  GroupCommit(
      TaskLoopClients clients,
      LoopPartitions partitions,
      AdvisoryReports advisory,
      RunningTasks running,
      WorkerCounters counters,
      TypeMeters meters,
      int maxResultBytes,
      Time time) {
    this.meters = meters;
    this.clients = clients;
    this.partitions = partitions;
    this.advisory = advisory;
    this.running = running;
    this.counters = counters;
    this.maxResultBytes = maxResultBytes;
    this.time = time;
  }

  /** Commits {@code finished} in one transaction, or has them back off. */
  void commit(List<Pending> finished) {
    if (finished.isEmpty()) {
      return;
    }
    advisory.flush(); // an attempt's reports precede its result
    List<Pending> batch = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<TopicPartition, Set<Long>> byPartition = new HashMap<>();
    for (Pending pending : finished) {
      try {
        records.addAll(recordsOf(pending));
      } catch (KafkaException e) {
        log.warn("Cannot serialize the result of {}, will retry: {}", pending, e.toString());
        pending.commitBackoff().failed(time.nanoseconds());
        continue;
      }
      batch.add(pending);
      byPartition.computeIfAbsent(pending.partition(), p -> new TreeSet<>()).add(pending.offset());
    }
    if (batch.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    byPartition.forEach(
        (partition, done) -> offsets.put(partition, partitions.commitWith(partition, done)));
    long startNanos = time.nanoseconds();
    if (!clients.transactions().commit(records, offsets, clients.consumer().groupMetadata())) {
      long now = time.nanoseconds();
      batch.forEach(pending -> pending.commitBackoff().failed(now));
      return;
    }
    counters.transactions.increment();
    meters.committed(
        (int) batch.stream().filter(Execution.class::isInstance).count(),
        time.nanoseconds() - startNanos);
    byPartition.forEach(partitions::committed);
    batch.forEach(this::committed);
  }

  private List<ProducerRecord<byte[], byte[]>> recordsOf(Pending pending) {
    if (pending instanceof Settled settled) {
      return settled.records();
    }
    return List.of(resultRecord((Execution) pending));
  }

  /**
   * The record of an attempt's result; a result over the size limit is replaced by a non-retryable
   * failure, {@code weft.OutputTooLarge}, so that it fails alone and the batch commits.
   */
  private ProducerRecord<byte[], byte[]> resultRecord(Execution execution) {
    TaskResult result = execution.result();
    ProducerRecord<byte[], byte[]> record = clients.reports().report(result.getRunId(), result);
    int size = ResultLimit.sizeOf(record);
    if (size <= maxResultBytes) {
      return record;
    }
    TaskResult tooLarge = ResultLimit.tooLarge(result, size, maxResultBytes);
    log.warn("{}: {}", execution.context(), tooLarge.getError().getMessage());
    execution.replaceResult(tooLarge);
    return clients.reports().report(tooLarge.getRunId(), tooLarge);
  }

  private void committed(Pending pending) {
    if (pending instanceof Settled settled) {
      switch (settled.kind()) {
        case DEAD_LETTERED -> {
          counters.deadLettered.increment();
          meters.deadLettered();
          log.warn("{} offset {} {}", settled.partition(), settled.offset(), settled.what());
        }
        case EXPIRED -> {
          counters.expired.increment();
          log.info("Skipped {}", settled.what());
        }
        case ALREADY_DONE -> {
          counters.alreadyDone.increment();
          log.debug("Skipped {}", settled.what());
        }
      }
      return;
    }
    Execution execution = (Execution) pending;
    counters.committedResults.increment();
    running.remove(execution.context());
    if (execution.result().getStatus() == TaskOutcome.FAILED) {
      counters.failures.increment();
    }
    log.debug("Committed {} {}", execution.result().getStatus(), execution.context());
  }
}

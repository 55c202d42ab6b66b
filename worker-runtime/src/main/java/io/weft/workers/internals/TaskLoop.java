package io.weft.workers.internals;

import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one task type: its thread owns the type's consumer and producers (see {@link
 * TaskLoopClients}); handlers run on an executor.
 *
 * <p>Each partition has at most one request in flight and is paused while it has; up to {@code
 * worker.concurrency} partitions have one at once. Records fetched beyond the one taken are read
 * again later (the partition is sought back to the first record not taken). The loop polls every
 * {@code worker.poll.timeout.ms} whatever the handlers do, so {@code max.poll.interval.ms} never
 * expires because of a long task; on each turn it sends due heartbeats and queued progress, and
 * commits finished results, each in one transaction with its input offset.
 *
 * <p>It reads time only from the {@link Time} it is given, and makes no client of its own, so a
 * unit test drives it turn by turn ({@link #runOnce}) with mock clients, a manual clock and an
 * executor it runs itself.
 */
final class TaskLoop implements ConsumerRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(TaskLoop.class);

  /**
   * How long one turn may spend taking records (each bad record costs a transaction): past it the
   * rest are read on the next turn, so that polls stay frequent even during a flood of poison.
   */
  private static final long TAKE_BUDGET_NANOS = 1_000_000_000L;

  private final TaskHandler handler;
  private final String type;
  private final TaskLoopClients clients;
  private final LoopSettings settings;
  private final RunningTasks running;
  private final WorkerCounters counters;
  private final Time time;
  private final AdvisoryReports advisory;
  private final LoopPartitions partitions;
  private final ExecutorService executor;
  private final Thread thread;
  private volatile boolean draining;
  private volatile long drainDeadlineNanos;
  private volatile boolean failed;
  private boolean closing;
  private long takeDeadlineNanos;

  /**
   * @param executor runs the handler, {@code settings.concurrency()} attempts at once; shut down
   *     with the loop
   */
  TaskLoop(
      TaskHandler handler,
      TaskLoopClients clients,
      LoopSettings settings,
      ExecutorService executor,
      RunningTasks running,
      WorkerCounters counters,
      Time time) {
    this.handler = handler;
    this.type = handler.taskType();
    this.clients = clients;
    this.settings = settings;
    this.executor = executor;
    this.running = running;
    this.counters = counters;
    this.time = time;
    this.advisory =
        new AdvisoryReports(clients.advisory(), clients.reports(), settings.heartbeatNanos(), time);
    this.partitions = new LoopPartitions(settings.concurrency(), time);
    this.thread = new Thread(this::run, "weft-worker-" + type);
  }

  /** Subscribes and starts polling. */
  void start() {
    subscribe();
    thread.start();
  }

  /** Subscribes to the type's topic, this loop listening to its rebalances. */
  void subscribe() {
    clients.consumer().subscribe(List.of(clients.topic()), this);
  }

  /**
   * Stops taking requests; in-flight ones may finish and commit until {@code deadlineNanos} (by the
   * loop's {@link Time#nanoseconds()}).
   */
  void beginShutdown(long deadlineNanos) {
    drainDeadlineNanos = deadlineNanos;
    draining = true;
  }

  /** Waits for the loop to end; whether it did within {@code timeout}. */
  boolean awaitTermination(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  /** Whether the loop stopped on an error it could not recover from. */
  boolean hasFailed() {
    return failed;
  }

  /** The loop's thread: turns until drained, then abandons what still runs and closes. */
  void run() {
    try {
      while (!isDrained()) {
        runOnce();
      }
    } catch (RuntimeException e) {
      failed = true;
      log.error("Task loop of type '{}' stopped on an unrecoverable error", type, e);
    } finally {
      shutdown();
    }
  }

  /** Whether shutting down and done: nothing in flight, or the drain deadline has passed. */
  boolean isDrained() {
    return draining && (partitions.isIdle() || time.nanoseconds() - drainDeadlineNanos >= 0);
  }

  /**
   * One turn: polls, takes what it may, sends due heartbeats and progress, commits the finished
   * attempts, and pauses the partitions that may take nothing.
   */
  void runOnce() {
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = clients.consumer().poll(settings.pollTimeout());
    } catch (WakeupException finishedMeanwhile) {
      records = ConsumerRecords.empty(); // a handler finished: commit its result now
    }
    takeDeadlineNanos = time.nanoseconds() + TAKE_BUDGET_NANOS;
    for (TopicPartition partition : records.partitions()) {
      take(partition, records.records(partition));
    }
    advisory.sendDue(partitions.inFlight());
    commitResults(partitions.readyToCommit());
    partitions.updatePauses(clients.consumer(), draining);
  }

  /** Takes records of one partition while it may; seeks back to the first one not taken. */
  private void take(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      boolean mayTake =
          !draining && partitions.mayTake(partition) && time.nanoseconds() - takeDeadlineNanos < 0;
      if (!mayTake || !handle(partition, record)) {
        clients.consumer().seek(partition, record.offset());
        return;
      }
    }
  }

  /** Handles one record; false if it must be read again later. */
  private boolean handle(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
    Triage triage = clients.reader().read(record);
    switch (triage.kind()) {
      case RETRY_LATER:
        if (!partitions.hasFailed(partition)) { // once per outage; retries log at debug
          log.warn(
              "Cannot read {} offset {} now, will retry with backoff: {}",
              partition,
              record.offset(),
              triage.error().getMessage());
        } else {
          log.debug("Still cannot read {} offset {}", partition, record.offset());
        }
        partitions.block(partition);
        return false;
      case DEAD_LETTER:
        return deadLetter(partition, record, triage.error());
      case REJECT:
        TaskResult rejected =
            TaskResults.failed(
                triage.request(), triage.rejection(), settings.workerId(), now(), now());
        partitions.add(
            Execution.finished(partition, record.offset(), context(triage), rejected, time));
        return true;
      default:
        return execute(partition, record, triage);
    }
  }

  private boolean deadLetter(
      TopicPartition partition, ConsumerRecord<byte[], byte[]> record, RuntimeException why) {
    ProducerRecord<byte[], byte[]> letter = clients.reports().deadLetter(record, why);
    if (!commitOffset(List.of(letter), partition, record.offset())) {
      return false;
    }
    counters.deadLettered.increment();
    log.warn(
        "Dead-lettered {} offset {} to {}: {}",
        partition,
        record.offset(),
        letter.topic(),
        why.getMessage());
    return true;
  }

  private boolean execute(
      TopicPartition partition, ConsumerRecord<byte[], byte[]> record, Triage triage) {
    TaskRequest request = triage.request();
    Instant startBy = startBy(request);
    if (startBy != null && !startBy.isAfter(now())) {
      if (!commitOffset(List.of(), partition, record.offset())) {
        return false;
      }
      counters.expired.increment();
      log.info(
          "Skipped {}: it had to start by {}, which had passed when it was picked up",
          request.getIdempotencyKey(),
          startBy);
      return true;
    }
    TaskContextImpl context = context(triage);
    Execution execution =
        new Execution(partition, record.offset(), context, settings.workerId(), time);
    partitions.add(execution);
    running.add(context);
    counters.executions.increment();
    advisory.sendDue(List.of(execution)); // the first heartbeat, before the handler starts
    executor.execute(
        () -> {
          execution.run(handler);
          clients.consumer().wakeup(); // end the poll thread's wait: the result is ready
        });
    log.debug("Started {} from {} offset {}", context, partition, record.offset());
    return true;
  }

  private TaskContextImpl context(Triage triage) {
    return new TaskContextImpl(
        triage.request(),
        triage.params() == null ? Map.of() : triage.params(),
        triage.upstream() == null ? Map.of() : triage.upstream(),
        settings.artifacts(),
        settings.workerId(),
        advisory::queue,
        time);
  }

  /** Commits {@code partition}'s offset past {@code offset} with {@code records}, or blocks. */
  private boolean commitOffset(
      List<ProducerRecord<byte[], byte[]>> records, TopicPartition partition, long offset) {
    if (!clients.transactions().commit(records, Map.of(partition, offset + 1), groupMetadata())) {
      partitions.block(partition);
      return false;
    }
    partitions.unblock(partition);
    return true;
  }

  private void commitResults(List<Execution> finished) {
    if (finished.isEmpty()) {
      return;
    }
    advisory.flush(); // an attempt's reports precede its result
    List<Execution> batch = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (Execution execution : finished) {
      TaskResult result = execution.result();
      try {
        records.add(resultRecord(execution));
      } catch (KafkaException e) {
        log.warn("Cannot serialize the result of {}, will retry: {}", execution.context(), e);
        execution.commitBackoff().failed(time.nanoseconds());
        continue;
      }
      batch.add(execution);
      offsets.put(execution.partition(), execution.offset() + 1);
    }
    if (batch.isEmpty()) {
      return;
    }
    // every finished attempt of this turn in one transaction: results and offsets together
    if (!clients.transactions().commit(records, offsets, groupMetadata())) {
      long now = time.nanoseconds();
      batch.forEach(execution -> execution.commitBackoff().failed(now));
      return;
    }
    for (Execution execution : batch) {
      partitions.remove(execution.partition());
      running.remove(execution.context());
      if (execution.result().getStatus() == TaskOutcome.FAILED) {
        counters.failures.increment();
      }
      log.debug("Committed {} {}", execution.result().getStatus(), execution.context());
    }
  }

  /**
   * The record of an attempt's result; a result over the size limit is replaced by a non-retryable
   * failure, {@code weft.OutputTooLarge}, so that it fails alone and the batch commits.
   */
  private ProducerRecord<byte[], byte[]> resultRecord(Execution execution) {
    TaskResult result = execution.result();
    ProducerRecord<byte[], byte[]> record = clients.reports().report(result.getRunId(), result);
    int size = ResultLimit.sizeOf(record);
    if (size <= settings.maxResultBytes()) {
      return record;
    }
    TaskResult tooLarge = ResultLimit.tooLarge(result, size, settings.maxResultBytes());
    log.warn("{}: {}", execution.context(), tooLarge.getError().getMessage());
    execution.replaceResult(tooLarge);
    return clients.reports().report(tooLarge.getRunId(), tooLarge);
  }

  /**
   * The latest time the request may start: its queue timeout, or, from coordinators that counted
   * the timeout from dispatch, its deadline; null if it may wait indefinitely.
   */
  private static Instant startBy(TaskRequest request) {
    return request.getTimeoutMs() == null ? request.getDeadline() : request.getStartBy();
  }

  private ConsumerGroupMetadata groupMetadata() {
    return clients.consumer().groupMetadata();
  }

  private Instant now() {
    return Instant.ofEpochMilli(time.milliseconds());
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      log.info("Type '{}' assigned {}", type, partitions);
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
    if (revoked.isEmpty()) {
      return;
    }
    if (!closing) {
      counters.rebalances.increment();
    }
    List<Execution> finished = new ArrayList<>();
    for (TopicPartition partition : revoked) {
      Execution execution = partitions.get(partition);
      if (execution != null && execution.isFinished()) {
        finished.add(execution);
      }
    }
    commitResults(finished); // still ours until this returns: do not waste finished work
    drop(revoked, "revoked");
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> lost) {
    if (!lost.isEmpty() && !closing) {
      counters.rebalances.increment();
    }
    drop(lost, "lost");
  }

  /** Forgets the partitions, cancelling their attempts: the new owners execute them again. */
  private void drop(Collection<TopicPartition> gone, String how) {
    for (TopicPartition partition : gone) {
      Execution execution = partitions.remove(partition);
      if (execution != null) {
        execution.context().cancel(CancelReason.PARTITION_LOST);
        running.remove(execution.context());
        log.info(
            "Partition {} {}: discarding {} uncommitted; its new owner executes it again",
            partition,
            how,
            execution.context());
      }
    }
  }

  /** Abandons what is still in flight, uncommitted, and closes the executor and the clients. */
  private void shutdown() {
    closing = true;
    for (Execution execution : partitions.inFlight()) {
      execution.context().cancel(CancelReason.SHUTDOWN);
      running.remove(execution.context());
    }
    if (!partitions.isIdle()) {
      log.warn(
          "Type '{}': abandoning {} uncommitted at shutdown; another worker executes them",
          type,
          partitions.inFlight().stream().map(Execution::context).toList());
    }
    partitions.clear();
    executor.shutdownNow();
    clients.close();
  }
}

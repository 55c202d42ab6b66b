package io.weft.workers.internals;

import io.weft.core.api.TaskRequestHeaders;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one task type's pool (the type, or its GPU pool): its thread owns the pool's
 * consumer and producers (see {@link TaskLoopClients}); handlers run on an executor.
 *
 * <p>It takes requests of a partition in offset order while the partition's window ({@code
 * worker.window.per.partition} records taken and not committed) has room and a handler slot (of
 * {@code worker.concurrency}) is free; a partition whose window is full is paused, and all are when
 * no slot is free. Records fetched but not taken are read again later (the partition is sought back
 * to the first record not taken). The loop polls every {@code worker.poll.timeout.ms} whatever the
 * handlers do, so {@code max.poll.interval.ms} never expires because of a long task; on each turn
 * it sends due heartbeats and queued progress, and commits everything that finished, of every
 * partition, in one transaction ({@link GroupCommit}): each partition's first unfinished offset,
 * with the finished ones above it in the offset's metadata, which a new owner reads when assigned
 * the partition and skips them ({@link PartitionOffsets}). A partition assigned without a committed
 * offset (its group's offsets expired or deleted) skips the requests whose attempt already has a
 * committed result instead ({@link MissingOffsets}). A request taken starts only when what its task
 * declares fits the worker's capacity; until then it is held in its window ({@link Attempts}), and
 * held requests start first on each turn.
 *
 * <p>It reads time only from the {@link Time} it is given, and makes no client of its own, so a
 * unit test drives it turn by turn ({@link #runOnce}) with mock clients, a manual clock and an
 * executor it runs itself.
 */
final class TaskLoop implements ConsumerRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(TaskLoop.class);

  /**
   * How long one turn may spend taking records: past it the rest are read on the next turn, so that
   * polls stay frequent even during a flood of records.
   */
  private static final long TAKE_BUDGET_NANOS = 1_000_000_000L;

  private static final long GAUGE_INTERVAL_NANOS = 1_000_000_000L;

  private final String type;
  private final TaskLoopClients clients;
  private final LoopSettings settings;
  private final RunningTasks running;
  private final WorkerCounters counters;
  private final Time time;
  private final AdvisoryReports advisory;
  private final LoopPartitions partitions;
  private final MissingOffsets missing;
  private final GroupCommit commits;
  private final ExecutorService executor;
  private final Thread thread;
  private volatile boolean draining;
  private volatile long drainDeadlineNanos;
  private volatile boolean failed;
  private boolean closing;
  private long takeDeadlineNanos;
  private final TypeMeters meters;
  private long nextGaugesNanos;
  private final Attempts attempts;
  private volatile boolean holding;

  /**
   * @param executor runs the handler, {@code settings.concurrency()} attempts at once; shut down
   *     with the loop
   * @param capacity the worker's, shared by its loops: an attempt starts only when what its task
   *     declared fits beside what runs
   */
  TaskLoop(
      TaskHandler handler,
      TaskLoopClients clients,
      LoopSettings settings,
      ExecutorService executor,
      RunningTasks running,
      WorkerCounters counters,
      Capacity capacity,
      Time time) {
    this.type = handler.taskType();
    this.clients = clients;
    this.settings = settings;
    this.executor = executor;
    this.running = running;
    this.counters = counters;
    this.meters = counters.type(clients.pool()); // a GPU pool's meters are its own
    this.time = time;
    this.advisory =
        new AdvisoryReports(clients.advisory(), clients.reports(), settings.heartbeatNanos(), time);
    this.partitions = new LoopPartitions(settings.concurrency(), settings.window(), time);
    this.missing = new MissingOffsets(type, clients.results());
    this.commits =
        new GroupCommit(
            clients,
            partitions,
            advisory,
            running,
            counters,
            meters,
            settings.maxResultBytes(),
            time);
    this.attempts =
        new Attempts(
            handler,
            settings,
            executor,
            running,
            counters,
            meters,
            capacity,
            advisory,
            () -> clients.consumer().wakeup(),
            time);
    this.thread = new Thread(this::run, "weft-worker-" + clients.topic());
    capacity.onRelease(
        () -> {
          if (holding) { // a held request may fit now
            clients.consumer().wakeup();
          }
        });
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
    attempts.startHeld(partitions, draining);
    for (TopicPartition partition : records.partitions()) {
      take(partition, records.records(partition));
      missing.reached(partition, clients.consumer());
    }
    advisory.sendDue(partitions.executions());
    attempts.abandonOverdue(partitions.executions());
    commits.commit(partitions.readyToCommit());
    partitions.updatePauses(clients.consumer(), draining);
    holding = partitions.isHolding();
    updateGauges();
  }

  /** Once a second: the consumer lag and window fill the metrics show. */
  private void updateGauges() {
    long now = time.nanoseconds();
    if (now - nextGaugesNanos < 0) {
      return;
    }
    nextGaugesNanos = now + GAUGE_INTERVAL_NANOS;
    long lag = 0;
    for (TopicPartition partition : clients.consumer().assignment()) {
      lag += clients.consumer().currentLag(partition).orElse(0);
    }
    meters.loop(lag, partitions.windowFill(), partitions.heldCount(), now);
  }

  /**
   * Takes records of one partition while it may, skipping those an earlier owner finished; seeks
   * back to the first one not taken.
   */
  private void take(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
    boolean loaded =
        partitions.isLoaded(partition)
            || (!partitions.isBlocked(partition) && loadOffsets(List.of(partition)));
    if (!loaded) {
      clients.consumer().seek(partition, records.get(0).offset());
      return;
    }
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (partitions.isFinished(partition, record.offset())) {
        partitions.skip(partition, record.offset());
        log.debug("Skipped {} offset {}: finished already", partition, record.offset());
        continue;
      }
      boolean mayTake =
          !draining
              && partitions.mayTake(partition, record.offset())
              && time.nanoseconds() - takeDeadlineNanos < 0;
      if (!mayTake || !handle(partition, record)) {
        clients.consumer().seek(partition, record.offset());
        return;
      }
    }
  }

  /** Handles one record; false if it must be read again later. */
  private boolean handle(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
    if (missing.isDone(partition, record)) { // named done by its headers: no need to decode it
      partitions.add(Settled.alreadyDone(partition, record.offset()));
      return true;
    }
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
            Execution.finished(
                partition, record.offset(), attempts.context(triage), rejected, time));
        return true;
      default:
        return execute(partition, record, triage);
    }
  }

  /** Settles a bad record: its letter commits with its offset, in the turn's transaction. */
  private boolean deadLetter(
      TopicPartition partition, ConsumerRecord<byte[], byte[]> record, RuntimeException why) {
    ProducerRecord<byte[], byte[]> letter = clients.reports().deadLetter(record, why);
    ProducerRecord<byte[], byte[]> failure = null;
    var attempt = TaskRequestHeaders.read(record.headers());
    if (attempt.isPresent()) { // the coordinator named the attempt: it fails now, not at timeout
      try {
        failure = clients.reports().unreadable(attempt.get(), why);
      } catch (KafkaException e) {
        log.warn("Cannot write the failed result of {} now, will retry: {}", attempt.get(), e);
        partitions.block(partition);
        return false;
      }
    }
    partitions.add(
        Settled.deadLettered(partition, record.offset(), letter, failure, why.getMessage()));
    return true;
  }

  private boolean execute(
      TopicPartition partition, ConsumerRecord<byte[], byte[]> record, Triage triage) {
    TaskRequest request = triage.request();
    if (missing.isDone(partition, record, request)) {
      partitions.add(Settled.alreadyDone(partition, record.offset()));
      return true;
    }
    Instant startBy = Attempts.startBy(request);
    if (startBy != null && !startBy.isAfter(now())) { // only its offset commits
      String what =
          request.getIdempotencyKey()
              + ": it had to start by "
              + startBy
              + ", which had passed when it was picked up";
      partitions.add(Settled.expired(partition, record.offset(), what));
      return true;
    }
    partitions.add(attempts.admit(partition, record, triage));
    return true;
  }

  private Instant now() {
    return Instant.ofEpochMilli(time.milliseconds());
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
    if (!assigned.isEmpty()) {
      log.info("Type '{}' assigned {}", type, assigned);
      loadOffsets(assigned);
    }
  }

  /**
   * Reads the last commit of {@code assigned} (offset and finished offsets above it), and for those
   * without one, which attempts are done already ({@link MissingOffsets}); whether it could. A
   * partition not loaded takes nothing: it is tried again after a backoff.
   */
  private boolean loadOffsets(Collection<TopicPartition> assigned) {
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed = clients.consumer().committed(new HashSet<>(assigned));
    } catch (KafkaException e) {
      log.warn("Cannot read the committed offsets of {}, will retry: {}", assigned, e.toString());
      assigned.forEach(partitions::block);
      return false;
    }
    List<TopicPartition> uncommitted =
        assigned.stream()
            .filter(
                partition -> committed.get(partition) == null && !partitions.isLoaded(partition))
            .toList();
    Set<TopicPartition> unprepared = missing.prepare(clients.consumer(), uncommitted);
    for (TopicPartition partition : assigned) {
      if (unprepared.contains(partition)) {
        partitions.block(partition);
      } else {
        partitions.load(partition, committed.get(partition));
      }
    }
    return unprepared.isEmpty();
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
    if (revoked.isEmpty()) {
      return;
    }
    if (!closing) {
      counters.rebalances.increment();
    }
    // still ours until this returns: do not waste finished work
    commits.commit(partitions.finishedOf(revoked));
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
      missing.forget(partition);
      for (Pending pending : partitions.forget(partition)) {
        if (pending instanceof Execution execution) {
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
  }

  /** Abandons what is still in flight, uncommitted, and closes the executor and the clients. */
  private void shutdown() {
    closing = true;
    List<Execution> abandoned = partitions.executions();
    for (Execution execution : abandoned) {
      execution.context().cancel(CancelReason.SHUTDOWN);
      running.remove(execution.context());
    }
    if (!partitions.isIdle()) {
      log.warn(
          "Type '{}': abandoning {} uncommitted at shutdown; another worker executes them",
          type,
          abandoned.stream().map(Execution::context).toList());
    }
    partitions.clear();
    missing.clear();
    executor.shutdownNow();
    clients.close();
  }
}

package io.weft.workers.internals;

import io.weft.core.api.Resources;
import io.weft.core.tracing.TraceHeaders;
import io.weft.core.tracing.WeftTracing;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.TaskHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link TaskLoop} starts, holds and abandons attempts: a request starts on the executor when
 * what its task declares fits the worker's {@link Capacity} beside the running attempts, is {@link
 * Held} while it does not, and fails at once ({@code weft.Unschedulable}) if it never could.
 * Poll-thread only, but for what handlers do on the executor.
 */
final class Attempts {

  private static final Logger log = LoggerFactory.getLogger(Attempts.class);

  private final TaskHandler handler;
  private final LoopSettings settings;
  private final ExecutorService executor;
  private final RunningTasks running;
  private final WorkerCounters counters;
  private final TypeMeters meters;
  private final Capacity capacity;
  private final AdvisoryReports advisory;
  private final Runnable wakeLoop;
  private final Time time;
  private long heldSequence;

  /**
   * @param wakeLoop ends the poll thread's wait, when a handler returns
   */
  Attempts(
      TaskHandler handler,
      LoopSettings settings,
      ExecutorService executor,
      RunningTasks running,
      WorkerCounters counters,
      TypeMeters meters,
      Capacity capacity,
      AdvisoryReports advisory,
      Runnable wakeLoop,
      Time time) {
    this.handler = handler;
    this.settings = settings;
    this.executor = executor;
    this.running = running;
    this.counters = counters;
    this.meters = meters;
    this.capacity = capacity;
    this.advisory = advisory;
    this.wakeLoop = wakeLoop;
    this.time = time;
  }

  /**
   * A request to run: started if what it declares fits now, held if not, failed as unschedulable if
   * it never could on this worker.
   */
  Pending admit(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, Triage triage) {
    Resources need = need(triage.request());
    List<String> exceeding = capacity.exceeding(need);
    if (!exceeding.isEmpty()) {
      return unschedulable(partition, record, triage, exceeding);
    }
    Grant grant = capacity.tryAcquire(need);
    if (grant == null) { // it keeps its place in the window; later requests may start meanwhile
      log.debug("Holding {} offset {}: {} does not fit now", partition, record.offset(), need);
      return new Held(record, triage, heldSequence++);
    }
    return start(partition, record, triage, grant);
  }

  /**
   * Starts the held requests that fit now, first held first; one that does not fit lets the next
   * ones try. One whose start-by time passed meanwhile is settled as expired.
   */
  void startHeld(LoopPartitions partitions, boolean draining) {
    for (Held held : partitions.held()) {
      if (draining || !partitions.hasFreeSlot()) {
        return;
      }
      TaskRequest request = held.triage().request();
      Instant startBy = startBy(request);
      if (startBy != null && !startBy.isAfter(now())) {
        partitions.replace(
            Settled.expired(
                held.partition(),
                held.offset(),
                request.getIdempotencyKey()
                    + ": it had to start by "
                    + startBy
                    + ", which passed while it waited for resources"));
        continue;
      }
      Grant grant = capacity.tryAcquire(need(request));
      if (grant != null) {
        partitions.replace(start(held.partition(), held.record(), held.triage(), grant));
      }
    }
  }

  /** A failed result: the request needs more than this worker has, so it would wait forever. */
  private Execution unschedulable(
      TopicPartition partition,
      ConsumerRecord<byte[], byte[]> record,
      Triage triage,
      List<String> exceeding) {
    TaskRequest request = triage.request();
    String message =
        "task '"
            + request.getTaskId()
            + "' needs "
            + String.join(", ", exceeding)
            + ": more than worker "
            + settings.workerId()
            + " of type '"
            + handler.taskType()
            + "' has ("
            + capacity.total()
            + ", worker.capacity.*), so it could never start there";
    log.warn("{} offset {}: {}", partition, record.offset(), message);
    TaskResult result =
        TaskResults.failed(
            request,
            new TaskError("weft.Unschedulable", message, false),
            settings.workerId(),
            now(),
            now());
    return Execution.finished(partition, record.offset(), context(triage), result, time);
  }

  /** Starts the handler on the executor, holding {@code grant} until it returns. */
  private Execution start(
      TopicPartition partition, ConsumerRecord<byte[], byte[]> record, Triage triage, Grant grant) {
    TaskContextImpl context = context(triage);
    context.granted(need(triage.request()), grant.gpus());
    Execution execution =
        new Execution(partition, record.offset(), context, settings.workerId(), time);
    execution.holding(grant);
    if (WeftTracing.get().enabled()) {
      execution.tracedUnder(TraceHeaders.read(record.headers()));
    }
    running.add(context);
    counters.executions.increment();
    meters.started(context.request().getScheduledAt(), now());
    executor.execute(
        () -> {
          execution.run(handler, meters);
          grant.release();
          wakeLoop.run(); // end the poll thread's wait: the result is ready
        });
    log.debug("Started {} from {} offset {}", context, partition, record.offset());
    return execution;
  }

  /**
   * Abandons the attempts whose handler was told to stop (timed out, run stopped) longer than the
   * stop grace ago and still runs: each gets a failed result, committed with its offset this turn,
   * so that its slot and its place in the window are free again. The handler's thread runs on.
   */
  void abandonOverdue(List<Execution> executions) {
    long now = time.nanoseconds();
    for (Execution execution : executions) {
      TaskContextImpl context = execution.context();
      CancelReason reason = context.cancelReason();
      boolean toldToStop = reason == CancelReason.TIMED_OUT || reason == CancelReason.RUN_STOPPED;
      if (execution.isFinished()
          || !toldToStop
          || now - context.cancelledAtNanos() < settings.stopGraceNanos()) {
        continue;
      }
      long graceMs = TimeUnit.NANOSECONDS.toMillis(settings.stopGraceNanos());
      String message =
          "the handler did not return within "
              + graceMs
              + " ms (worker.stop.grace.ms) of being told to stop ("
              + reason
              + "); the worker abandoned the attempt";
      if (execution.abandon(new TaskError("weft.Abandoned", message, false))) {
        execution.grant().release();
        counters.abandoned.increment();
        log.warn(
            "Abandoned {}: {}. Its slot is free again; its thread runs on until the handler"
                + " returns, at:{}",
            context,
            message,
            stackText(execution.handlerStack()));
      }
    }
  }

  private static String stackText(StackTraceElement[] stack) {
    StringBuilder text = new StringBuilder();
    for (StackTraceElement frame : stack) {
      text.append(System.lineSeparator()).append("\tat ").append(frame);
    }
    return text.toString();
  }

  TaskContextImpl context(Triage triage) {
    return new TaskContextImpl(
        triage.request(),
        triage.params() == null ? Map.of() : triage.params(),
        triage.upstream() == null ? Map.of() : triage.upstream(),
        settings.artifacts(),
        settings.workerId(),
        report -> {
          meters.progressed();
          advisory.queue(report);
        },
        time);
  }

  /**
   * The latest time the request may start: its queue timeout, or, from coordinators that counted
   * the timeout from dispatch, its deadline; null if it may wait indefinitely.
   */
  static Instant startBy(TaskRequest request) {
    return request.getTimeoutMs() == null ? request.getDeadline() : request.getStartBy();
  }

  /** What the request's task declares, what it leaves out as its type's handler says. */
  private Resources need(TaskRequest request) {
    return Resources.of(request.getResources()).orElse(handler.defaultResources());
  }

  private Instant now() {
    return Instant.ofEpochMilli(time.milliseconds());
  }
}

package io.weft.workers.internals;

import io.opentelemetry.api.trace.SpanContext;
import io.weft.core.tracing.WeftTracing;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.common.TaskUsage;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One attempt in flight: the handler runs on an executor thread ({@link #run}); everything else is
 * called on the poll thread only.
 */
final class Execution implements Pending {

  private static final Logger log = LoggerFactory.getLogger(Execution.class);

  private final TopicPartition partition;
  private final long offset;
  private final TaskContextImpl context;
  private final String workerId;
  private final Time time;
  private final long startedNanos;
  private final Instant startedAt;
  private final AtomicReference<TaskResult> result = new AtomicReference<>();
  private volatile Thread handlerThread;
  private boolean heartbeatScheduled;
  private long nextHeartbeatNanos;
  private final Backoff commitBackoff = new Backoff();
  private SpanContext runSpan = SpanContext.getInvalid();
  private Grant grant = Grant.NONE;

  Execution(
      TopicPartition partition, long offset, TaskContextImpl context, String workerId, Time time) {
    this.partition = partition;
    this.offset = offset;
    this.context = context;
    this.workerId = workerId;
    this.time = time;
    this.startedNanos = time.nanoseconds();
    this.startedAt = now();
  }

  /** An attempt that is finished before it starts, e.g. a rejected request. */
  static Execution finished(
      TopicPartition partition,
      long offset,
      TaskContextImpl context,
      TaskResult result,
      Time time) {
    Execution execution = new Execution(partition, offset, context, result.getWorkerId(), time);
    execution.result.set(result);
    return execution;
  }

  /** The span of the attempt's run, from its request's headers: its spans' parent. */
  void tracedUnder(SpanContext runSpan) {
    this.runSpan = runSpan;
  }

  /** What the attempt holds of its worker's capacity while it runs. */
  void holding(Grant grant) {
    this.grant = grant;
  }

  Grant grant() {
    return grant;
  }

  /**
   * Runs the handler and keeps its result, unless the attempt was abandoned meanwhile; never
   * throws. On an executor thread, whose log lines meanwhile carry the attempt's {@code runId},
   * {@code taskId}, {@code attempt} and {@code taskType} (SLF4J's MDC).
   */
  void run(TaskHandler handler, TypeMeters meters) {
    handlerThread = Thread.currentThread();
    // a handler loaded from its own jar (weft worker --handlers) finds its libraries' resources
    ClassLoader workerLoader = handlerThread.getContextClassLoader();
    handlerThread.setContextClassLoader(handler.getClass().getClassLoader());
    Instant started = startedAt; // as its heartbeats say, from when the worker took it
    TaskRequest request = context.request();
    MDC.put("runId", request.getRunId());
    MDC.put("taskId", request.getTaskId());
    MDC.put("attempt", String.valueOf(request.getAttempt()));
    MDC.put("taskType", request.getType());
    AttemptSpan span = AttemptSpan.start(WeftTracing.get(), runSpan, request, started);
    long cpuBefore = ThreadUsage.cpuNanos();
    long allocatedBefore = ThreadUsage.allocatedBytes();
    TaskResult outcome;
    try {
      TaskOutputs outputs = handler.execute(context);
      outcome =
          TaskResults.succeeded(
              context.request(),
              outputs == null ? TaskOutputs.empty() : outputs,
              workerId,
              started,
              now());
    } catch (Throwable thrown) { // NOPMD: every failure of a handler becomes its result
      outcome =
          TaskResults.failed(context.request(), TaskErrors.of(thrown), workerId, started, now());
    }
    Thread.currentThread().setContextClassLoader(workerLoader);
    handlerThread = null;
    long cpuNanos = ThreadUsage.since(cpuBefore, ThreadUsage.cpuNanos());
    outcome.setUsage(usage(cpuNanos));
    span.end(
        outcome.getStatus() == io.weft.schemas.results.TaskOutcome.SUCCEEDED,
        outcome.getError() == null ? null : outcome.getError().getMessage(),
        now());
    MDC.remove("runId");
    MDC.remove("taskId");
    MDC.remove("attempt");
    MDC.remove("taskType");
    meters.finished(
        outcomeOf(outcome),
        time.nanoseconds() - startedNanos,
        cpuNanos < 0 ? -1 : cpuNanos + context.programCpuNanos(),
        ThreadUsage.since(allocatedBefore, ThreadUsage.allocatedBytes()));
    if (context.programPeakBytes() >= 0) {
      meters.programPeak(context.programPeakBytes());
    }
    if (!result.compareAndSet(null, outcome)) {
      log.info("{} returned after it was abandoned; its result is dropped", context);
    }
  }

  /** What the attempt used: its handler's wall and CPU time, and its programs'. */
  private TaskUsage usage(long threadCpuNanos) {
    long peak = context.programPeakBytes();
    return new TaskUsage(
        TimeUnit.NANOSECONDS.toMillis(time.nanoseconds() - startedNanos),
        threadCpuNanos < 0
            ? null
            : TimeUnit.NANOSECONDS.toMillis(threadCpuNanos + context.programCpuNanos()),
        peak < 0 ? null : peak);
  }

  private TypeMeters.Outcome outcomeOf(TaskResult outcome) {
    if (outcome.getStatus() == io.weft.schemas.results.TaskOutcome.SUCCEEDED) {
      return TypeMeters.Outcome.SUCCEEDED;
    }
    CancelReason reason = context.cancelReason();
    if (reason == CancelReason.TIMED_OUT) {
      return TypeMeters.Outcome.TIMED_OUT;
    }
    return reason == CancelReason.RUN_STOPPED
        ? TypeMeters.Outcome.CANCELLED
        : TypeMeters.Outcome.FAILED;
  }

  /**
   * Gives up on the running handler: the attempt's result becomes a failure with {@code error}, and
   * whatever the handler returns later is dropped. Whether it was still running.
   */
  boolean abandon(TaskError error) {
    return result.compareAndSet(
        null, TaskResults.failed(context.request(), error, workerId, startedAt, now()));
  }

  /** Where the handler's thread is now, if it runs. */
  StackTraceElement[] handlerStack() {
    Thread thread = handlerThread;
    return thread == null ? new StackTraceElement[0] : thread.getStackTrace();
  }

  private Instant now() {
    return Instant.ofEpochMilli(time.milliseconds());
  }

  @Override
  public TopicPartition partition() {
    return partition;
  }

  @Override
  public long offset() {
    return offset;
  }

  TaskContextImpl context() {
    return context;
  }

  @Override
  public boolean isFinished() {
    return result.get() != null;
  }

  TaskResult result() {
    return result.get();
  }

  /** Replaces the result, e.g. with a failure when it cannot be written as it is. */
  void replaceResult(TaskResult replacement) {
    result.set(replacement);
  }

  /** When the worker started the attempt. */
  Instant startedAt() {
    return startedAt;
  }

  /** Whether a heartbeat is due at {@code nowNanos}; if so, schedules the next one. */
  boolean heartbeatDue(long nowNanos, long intervalNanos) {
    if (result.get() != null) {
      return false;
    }
    if (!heartbeatScheduled) {
      nextHeartbeatNanos = startedNanos + firstHeartbeatDelay(intervalNanos);
      heartbeatScheduled = true;
    }
    if (nowNanos - nextHeartbeatNanos < 0) {
      return false;
    }
    nextHeartbeatNanos = nowNanos + intervalNanos;
    return true;
  }

  /**
   * How long after the start the first heartbeat is due. An attempt that ends sooner sends none:
   * its result tells the coordinator when it started. The first heartbeat is what starts the
   * coordinator's count of the attempt's timeout (from the start time it carries), so it is due by
   * half the timeout, and at once if the request's queue timeout would pass before then (the
   * coordinator would time the attempt out as never started), or if the request comes from a
   * coordinator that counted the timeout from dispatch.
   */
  long firstHeartbeatDelay(long intervalNanos) {
    TaskRequest request = context.request();
    if (request.getTimeoutMs() == null) {
      return 0;
    }
    long delay = Math.min(intervalNanos, TimeUnit.MILLISECONDS.toNanos(request.getTimeoutMs()) / 2);
    if (request.getStartBy() != null) {
      long untilStartBy =
          TimeUnit.MILLISECONDS.toNanos(
              request.getStartBy().toEpochMilli() - startedAt.toEpochMilli());
      if (untilStartBy < 2 * delay) {
        return 0;
      }
    }
    return delay;
  }

  @Override
  public Backoff commitBackoff() {
    return commitBackoff;
  }
}

package io.weft.workers.internals;

import io.weft.schemas.results.TaskResult;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;

/**
 * One attempt in flight: the handler runs on an executor thread ({@link #run}); everything else is
 * called on the poll thread only.
 */
final class Execution implements Pending {

  private final TopicPartition partition;
  private final long offset;
  private final TaskContextImpl context;
  private final String workerId;
  private final Time time;
  private volatile TaskResult result;
  private long nextHeartbeatNanos;
  private final Backoff commitBackoff = new Backoff();

  Execution(
      TopicPartition partition, long offset, TaskContextImpl context, String workerId, Time time) {
    this.partition = partition;
    this.offset = offset;
    this.context = context;
    this.workerId = workerId;
    this.time = time;
    this.nextHeartbeatNanos = time.nanoseconds(); // the first heartbeat is due at once
  }

  /** An attempt that is finished before it starts, e.g. a rejected request. */
  static Execution finished(
      TopicPartition partition,
      long offset,
      TaskContextImpl context,
      TaskResult result,
      Time time) {
    Execution execution = new Execution(partition, offset, context, result.getWorkerId(), time);
    execution.result = result;
    return execution;
  }

  /** Runs the handler and keeps its result; never throws. On an executor thread. */
  void run(TaskHandler handler) {
    Instant started = now();
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
    result = outcome;
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
    return result != null;
  }

  TaskResult result() {
    return result;
  }

  /** Replaces the result, e.g. with a failure when it cannot be written as it is. */
  void replaceResult(TaskResult replacement) {
    result = replacement;
  }

  /** Whether a heartbeat is due at {@code nowNanos}; if so, schedules the next one. */
  boolean heartbeatDue(long nowNanos, long intervalNanos) {
    if (result != null || nowNanos - nextHeartbeatNanos < 0) {
      return false;
    }
    nextHeartbeatNanos = nowNanos + intervalNanos;
    return true;
  }

  @Override
  public Backoff commitBackoff() {
    return commitBackoff;
  }
}

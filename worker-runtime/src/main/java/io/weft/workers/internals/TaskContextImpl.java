package io.weft.workers.internals;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.Resources;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.ArtifactStore;
import io.weft.workers.api.OutputValue;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Time;

/** The context of one attempt; thread-safe. */
public final class TaskContextImpl implements TaskContext {

  private final AtomicLong programCpuNanos = new AtomicLong();
  private final AtomicLong programPeakBytes = new AtomicLong(-1);
  private final TaskRequest request;
  private final Map<String, JsonNode> params;
  private final Map<String, Map<String, OutputValue>> upstream;
  private final ArtifactStore artifacts;
  private final String workerId;
  private final Consumer<TaskProgress> progressSink;
  private final Time time;
  private final Instant deadline;
  private volatile CancelReason cancelled;
  private volatile List<Integer> gpus = List.of();
  private volatile Resources admitted;
  private volatile long cancelledAtNanos;

  /** A context whose progress reports are stamped by the system clock, e.g. to call a handler. */
  public TaskContextImpl(
      TaskRequest request,
      Map<String, JsonNode> params,
      Map<String, Map<String, OutputValue>> upstream,
      ArtifactStore artifacts,
      String workerId,
      Consumer<TaskProgress> progressSink) {
    this(request, params, upstream, artifacts, workerId, progressSink, Time.SYSTEM);
  }

  /** A context whose progress reports are stamped by {@code time}. */
  public TaskContextImpl(
      TaskRequest request,
      Map<String, JsonNode> params,
      Map<String, Map<String, OutputValue>> upstream,
      ArtifactStore artifacts,
      String workerId,
      Consumer<TaskProgress> progressSink,
      Time time) {
    this.request = request;
    this.params = params;
    this.upstream = upstream;
    this.artifacts = artifacts;
    this.workerId = workerId;
    this.progressSink = progressSink;
    this.time = time;
    this.deadline =
        request.getTimeoutMs() == null
            ? request.getDeadline()
            : Instant.ofEpochMilli(time.milliseconds() + request.getTimeoutMs());
  }

  /** Signals the handler to stop; the first reason wins. */
  public synchronized void cancel(CancelReason reason) {
    if (cancelled == null) {
      cancelledAtNanos = time.nanoseconds();
      cancelled = reason;
    }
  }

  /** When the attempt was cancelled, by its clock's {@link Time#nanoseconds()}; if it was. */
  long cancelledAtNanos() {
    return cancelledAtNanos;
  }

  /** Why the attempt was cancelled, or null. */
  public CancelReason cancelReason() {
    return cancelled;
  }

  private boolean discarded() {
    CancelReason reason = cancelled;
    return reason == CancelReason.PARTITION_LOST || reason == CancelReason.SHUTDOWN;
  }

  public TaskRequest request() {
    return request;
  }

  @Override
  public String runId() {
    return request.getRunId();
  }

  @Override
  public String taskId() {
    return request.getTaskId();
  }

  @Override
  public int attempt() {
    return request.getAttempt();
  }

  @Override
  public String type() {
    return request.getType();
  }

  @Override
  public String idempotencyKey() {
    return request.getIdempotencyKey();
  }

  @Override
  public Map<String, JsonNode> params() {
    return params;
  }

  @Override
  public JsonNode param(String name) {
    JsonNode value = params.get(name);
    if (value == null) {
      throw new TaskFailedException(
          "Task " + taskId() + " has no parameter '" + name + "'; it has " + params.keySet(),
          false);
    }
    return value;
  }

  @Override
  public <T> T param(String name, Class<T> type) {
    try {
      return Json.convert(param(name), type);
    } catch (IllegalArgumentException e) {
      throw new TaskFailedException(
          "Parameter '"
              + name
              + "' of task "
              + taskId()
              + " is not a "
              + type.getSimpleName()
              + ": "
              + e.getMessage(),
          false,
          e);
    }
  }

  @Override
  public Map<String, Map<String, OutputValue>> upstream() {
    return upstream;
  }

  @Override
  public JsonNode upstreamJson(String taskId, String output) {
    OutputValue value = upstreamOutput(taskId, output);
    if (value.isArtifact()) {
      throw new TaskFailedException(
          "Output '" + output + "' of upstream task '" + taskId + "' is an artifact, not JSON",
          false);
    }
    return value.json();
  }

  @Override
  public ArtifactRef upstreamArtifact(String taskId, String output) {
    OutputValue value = upstreamOutput(taskId, output);
    if (!value.isArtifact()) {
      throw new TaskFailedException(
          "Output '" + output + "' of upstream task '" + taskId + "' is JSON, not an artifact",
          false);
    }
    return value.artifact();
  }

  private OutputValue upstreamOutput(String taskId, String output) {
    Map<String, OutputValue> outputs = upstream.get(taskId);
    if (outputs == null) {
      throw new TaskFailedException(
          "Task "
              + taskId()
              + " has no upstream task '"
              + taskId
              + "'; it has "
              + upstream.keySet(),
          false);
    }
    OutputValue value = outputs.get(output);
    if (value == null) {
      throw new TaskFailedException(
          "Upstream task '"
              + taskId
              + "' has no output '"
              + output
              + "'; it has "
              + outputs.keySet(),
          false);
    }
    return value;
  }

  /**
   * When the attempt times out: its start (this context's creation) plus its timeout, or, for
   * requests of coordinators that counted the timeout from dispatch, the request's deadline.
   */
  /**
   * Adds what a program the handler ran used (an exec task's process tree): its CPU time and its
   * peak resident memory, -1 where unknown.
   */
  public void addProgramUsage(long cpuNanos, long peakMemoryBytes) {
    if (cpuNanos >= 0) {
      programCpuNanos.addAndGet(cpuNanos);
    }
    programPeakBytes.accumulateAndGet(peakMemoryBytes, Math::max);
  }

  /** The CPU time of the programs the handler ran, in nanoseconds. */
  public long programCpuNanos() {
    return programCpuNanos.get();
  }

  /** The peak memory of the programs the handler ran, or -1 if it ran none. */
  public long programPeakBytes() {
    return programPeakBytes.get();
  }

  @Override
  public Resources resources() {
    Resources declared = admitted;
    return declared != null ? declared : Resources.of(request.getResources());
  }

  /**
   * What the worker admitted the attempt with (its task's resources, its type's defaults for what
   * the task left out) and the GPUs it granted, before the attempt starts.
   */
  public void granted(Resources admitted, List<Integer> gpus) {
    this.admitted = admitted;
    this.gpus = List.copyOf(gpus);
  }

  @Override
  public List<Integer> gpus() {
    return gpus;
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public ArtifactStore artifacts() {
    return artifacts;
  }

  @Override
  public void progress(long step, Long totalSteps, Map<String, Double> metrics, String message) {
    if (discarded()) {
      return;
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    if (metrics != null) {
      metrics.forEach((k, v) -> copy.put(k, Objects.requireNonNull(v, () -> "metric " + k)));
    }
    progressSink.accept(
        TaskProgress.newBuilder()
            .setRunId(runId())
            .setTaskId(taskId())
            .setAttempt(attempt())
            .setWorkerId(workerId)
            .setStep(step)
            .setTotalSteps(totalSteps)
            .setMetrics(copy)
            .setMessage(message)
            .setReportedAt(Instant.ofEpochMilli(time.milliseconds()))
            .build());
  }

  @Override
  public boolean isCancelled() {
    return cancelled != null;
  }

  @Override
  public String toString() {
    return request.getIdempotencyKey();
  }
}

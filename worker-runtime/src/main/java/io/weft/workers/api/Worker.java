package io.weft.workers.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.weft.workers.internals.WorkerRuntime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Time;

/**
 * A worker process's runtime: serves one or more task types, each with its {@link TaskHandler}.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   Worker worker =
 *       Worker.builder(Map.of(
 *               "bootstrap.servers", "localhost:9092",
 *               "schema.registry.url", "http://localhost:8081"))
 *           .handler(new TrainHandler())
 *           .build()
 *           .start();
 *   Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
 * }
 * }</pre>
 *
 * <p>The poll threads are not daemons, so a started worker keeps the JVM alive until it is closed;
 * the handlers' threads are daemons, so a handler that ignores cancellation cannot.
 *
 * <p>{@link #start()} creates the missing topics the worker needs, declares each task type on the
 * task-types topic and starts one poll thread per type. In production the core topics ({@code
 * results}, {@code dlq}, {@code cancellations}, {@code task-types}) may exist already; the worker
 * creates what is missing through {@link io.weft.core.api.TopicAdmin} with {@code weft.partitions}
 * partitions (the results topic with the count of the run-keyed topics that exist), so workers and
 * coordinators start in any order. {@link #close()} shuts down gracefully; see {@link WorkerConfig}
 * for the settings and {@link io.weft.workers.api} for the guarantees.
 */
public final class Worker implements AutoCloseable {

  private static final Pattern TYPE = Pattern.compile("[a-z0-9-]+");

  /** A worker's life. */
  public enum State {
    /** Built, not started. */
    CREATED,
    /** Serving its task types. */
    RUNNING,
    /** A task loop stopped on an error it could not recover from (see the log). */
    FAILED,
    /** Closing: taking no new requests, letting in-flight ones finish. */
    CLOSING,
    /** Closed. */
    CLOSED
  }

  private final WorkerConfig config;
  private final WorkerRuntime runtime;
  private final RoutingArtifactStore ownStore;
  private volatile State state = State.CREATED;

  private Worker(WorkerConfig config, WorkerRuntime runtime, RoutingArtifactStore ownStore) {
    this.config = config;
    this.runtime = runtime;
    this.ownStore = ownStore;
  }

  /** A builder for a worker with {@code config}; see {@link WorkerConfig} for the keys. */
  public static Builder builder(Map<String, ?> config) {
    return new Builder(config);
  }

  /**
   * Creates the missing topics, declares the task types and starts serving them.
   *
   * @return this worker
   * @throws IllegalStateException if it was started before
   * @throws io.weft.common.WeftException if it cannot start; what it started is stopped again, and
   *     the worker is {@link State#CLOSED}
   */
  public synchronized Worker start() {
    if (state != State.CREATED) {
      throw new IllegalStateException("Worker " + config.workerId() + " is " + state);
    }
    try {
      runtime.start();
    } catch (RuntimeException e) {
      state = State.CLOSED;
      closeStore();
      throw e;
    }
    state = State.RUNNING;
    return this;
  }

  /**
   * Shuts down gracefully: stops taking requests, waits up to {@code worker.shutdown.timeout.ms}
   * for the running tasks and commits their results; tasks still running then are cancelled and
   * abandoned uncommitted, so that another worker of the group executes them. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED || state == State.CLOSING) {
        return;
      }
      if (state == State.CREATED) {
        state = State.CLOSED;
        closeStore();
        return;
      }
      state = State.CLOSING;
    }
    try {
      runtime.close();
    } finally {
      closeStore();
      state = State.CLOSED;
    }
  }

  private void closeStore() {
    if (ownStore != null) {
      ownStore.close();
    }
  }

  public State state() {
    State current = state;
    return current == State.RUNNING && runtime.hasFailed() ? State.FAILED : current;
  }

  public String workerId() {
    return config.workerId();
  }

  /** Handler executions started. */
  public long executions() {
    return runtime.counters().executions.sum();
  }

  /** FAILED results committed (handler failures and requests that could not run). */
  public long failures() {
    return runtime.counters().failures.sum();
  }

  /** Records committed to the dead-letter topic. */
  public long deadLettered() {
    return runtime.counters().deadLettered.sum();
  }

  /** Requests skipped because their deadline had passed when picked up. */
  public long expired() {
    return runtime.counters().expired.sum();
  }

  /**
   * Requests skipped because their attempt, or a later attempt of their task, already had a
   * committed result: only their offset was committed. This happens only to requests a worker finds
   * in a partition assigned without a committed offset (a new group, or offsets expired after the
   * broker's {@code offsets.retention.minutes} or deleted), below the partition's end offset at
   * assignment.
   */
  public long alreadyDone() {
    return runtime.counters().alreadyDone.sum();
  }

  /**
   * Transactions committed, each with what finished by one poll turn of a task type, of every
   * partition (results, dead letters, input offsets); failed transactions are not counted.
   */
  public long transactions() {
    return runtime.counters().transactions.sum();
  }

  /**
   * Results committed: attempts whose result (SUCCEEDED or FAILED) committed in one of the {@link
   * #transactions()}; dead-lettered, expired and already done requests are not counted.
   */
  public long committedResults() {
    return runtime.counters().committedResults.sum();
  }

  /** Times partitions were revoked from or lost by this worker's consumers (closing aside). */
  public long rebalances() {
    return runtime.counters().rebalances.sum();
  }

  /**
   * Attempts abandoned since start: their handler was told to stop and did not return within {@code
   * worker.stop.grace.ms}. Each such handler's thread may still run.
   */
  public long abandoned() {
    return runtime.counters().abandoned.sum();
  }

  /** Builds a {@link Worker}. */
  /**
   * This worker's meters: what it serves at {@code /metrics} when {@code worker.metrics.port} is
   * set.
   */
  public MeterRegistry meterRegistry() {
    return runtime.registry();
  }

  /** The base URL of this worker's metrics server ({@code .../metrics}), if it serves one. */
  public Optional<String> metricsUrl() {
    return runtime.metricsUrl();
  }

  public static final class Builder {

    private final Map<String, ?> config;
    private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    private ArtifactStore artifacts;

    private Builder(Map<String, ?> config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Serves the handler's task type.
     *
     * @throws IllegalArgumentException if the type is not valid or already has a handler
     */
    public Builder handler(TaskHandler handler) {
      Objects.requireNonNull(handler, "handler");
      String type = handler.taskType();
      if (type == null || !TYPE.matcher(type).matches()) {
        throw new IllegalArgumentException(
            "Task type '"
                + type
                + "' of "
                + handler.getClass().getName()
                + " must match [a-z0-9-]+");
      }
      if (handlers.putIfAbsent(type, handler) != null) {
        throw new IllegalArgumentException("Task type '" + type + "' has two handlers");
      }
      return this;
    }

    /**
     * The artifact store handed to handlers, which the caller closes; by default the store of
     * {@code worker.artifact.uri} (or {@code worker.artifact.dir}), closed with the worker.
     */
    public Builder artifactStore(ArtifactStore store) {
      this.artifacts = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Checks the config and builds the worker.
     *
     * @throws ConfigException naming the key of an unknown key or an invalid value
     * @throws IllegalStateException if no handler was given
     */
    public Worker build() {
      WorkerConfig parsed = new WorkerConfig(config);
      if (handlers.isEmpty()) {
        throw new IllegalStateException("A worker needs at least one handler");
      }
      RoutingArtifactStore own = artifacts == null ? parsed.artifactStore() : null;
      ArtifactStore store = own != null ? own : artifacts;
      return new Worker(parsed, new WorkerRuntime(parsed, handlers, store, Time.SYSTEM), own);
    }
  }
}

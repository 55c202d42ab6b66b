package io.weft.workers.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.weft.common.WeftException;
import io.weft.core.api.TopicAdmin;
import io.weft.core.api.WeftTopics;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.metrics.MetricsServer;
import io.weft.core.metrics.WeftRegistry;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.tasks.TaskTypeDeclared;
import io.weft.workers.api.ArtifactStore;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.WorkerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a {@code Worker} runs: topic setup, declarations, the task loops and the watcher. */
public final class WorkerRuntime {

  private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
  private static final long DECLARE_TIMEOUT_MS = 30_000;
  private static final Duration CLIENT_CLOSE_MARGIN = Duration.ofSeconds(20);

  /** Worker ids running in this JVM: two would fence each other's transactions. */
  private static final Set<String> RUNNING_IDS = ConcurrentHashMap.newKeySet();

  private final WorkerConfig config;
  private final Map<String, TaskHandler> handlers;
  private final ArtifactStore artifacts;
  private final Time time;
  private final WeftRegistry registry = WeftRegistry.create("worker");
  private final WorkerCounters counters = new WorkerCounters(registry.registry());
  private Clients clients;
  private MetricsServer metricsServer;
  private final RunningTasks running = new RunningTasks();
  private final List<TaskLoop> loops = new ArrayList<>();
  private final List<TaskHandler> configured = new ArrayList<>();
  private final String idKey;
  private final Capacity capacity;
  private CancellationWatcher watcher;

  /**
   * @param time the clock of every wait, timeout, backoff and timestamp ({@link Time#SYSTEM} but in
   *     tests)
   */
  public WorkerRuntime(
      WorkerConfig config, Map<String, TaskHandler> handlers, ArtifactStore artifacts, Time time) {
    this.config = config;
    this.handlers = new LinkedHashMap<>(handlers);
    this.artifacts = artifacts;
    this.time = time;
    this.idKey = config.bootstrapServers() + "|" + config.topics().prefix() + config.workerId();
    this.capacity = new Capacity(config.capacity());
    CapacityGauges.register(registry.registry(), capacity);
  }

  public WorkerCounters counters() {
    return counters;
  }

  /** Starts everything, or fails having stopped what it started. */
  public void start() {
    if (!RUNNING_IDS.add(idKey)) {
      throw new WeftException(
          "Another worker with worker.id '"
              + config.workerId()
              + "' runs in this JVM; give each worker its own id");
    }
    GeneratedClasses.trust();
    try {
      // the metrics server's key store and token file are read first: a mistake fails at once
      HttpServerSecurity metricsSecurity =
          config.metricsPort() == WorkerConfig.METRICS_OFF
              ? HttpServerSecurity.none()
              : HttpServerSecurity.from(config);
      clients = new Clients(config, registry.registry());
      WeftTopics topics = config.topics();
      int maxResultBytes;
      try (Admin admin = clients.admin()) {
        TopicAdmin topicAdmin = config.topicAdmin(admin);
        topicAdmin.ensureTaskTopics(pools());
        topicAdmin.ensure(
            List.of(
                topics.results(),
                topics.deadLetters(),
                topics.cancellations(),
                topics.taskTypes()));
        maxResultBytes =
            Math.min(topicAdmin.maxMessageBytes(topics.results()), clients.maxRequestSize());
      }
      declareTypes(clients, topics);
      watcher =
          new CancellationWatcher(
              clients.standaloneConsumer("cancellations"),
              topics.cancellations(),
              clients.deserializer(RunEvent.class),
              running,
              config.pollTimeout(),
              time);
      watcher.start();
      for (TaskHandler handler : handlers.values()) {
        handler.configure(config.connectionSettings());
        configured.add(handler);
      }
      LoopSettings settings = LoopSettings.of(config, artifacts, maxResultBytes);
      for (TaskHandler handler : handlers.values()) {
        for (String pool : poolsOf(handler.taskType())) {
          TaskLoopClients loopClients =
              TaskLoopClients.create(
                  clients, topics, handler.taskType(), pool, config.workerId(), time);
          TaskLoop loop =
              new TaskLoop(
                  handler,
                  loopClients,
                  settings,
                  settings.newExecutor(pool),
                  running,
                  counters,
                  capacity,
                  time);
          loops.add(loop);
          loop.start();
        }
      }
      serveMetrics(metricsSecurity);
    } catch (RuntimeException e) {
      close();
      throw e instanceof WeftException ? e : new WeftException("Cannot start worker: " + e, e);
    }
    log.info(
        "Worker {} serving {} (concurrency {} per pool, window {} per partition, capacity {})",
        config.workerId(),
        pools(),
        config.concurrency(),
        config.windowPerPartition(),
        capacity);
  }

  /** The pools this worker serves: each type, and each type's GPU pool if it has GPUs. */
  private List<String> pools() {
    List<String> pools = new ArrayList<>();
    handlers.keySet().forEach(type -> pools.addAll(poolsOf(type)));
    return pools;
  }

  private List<String> poolsOf(String type) {
    return capacity.hasGpus()
        ? List.of(type, WeftTopics.pool(type, true))
        : List.of(WeftTopics.pool(type, false));
  }

  private void serveMetrics(HttpServerSecurity security) {
    if (config.metricsPort() != WorkerConfig.METRICS_OFF) {
      metricsServer =
          MetricsServer.start(
              config.metricsHost(), config.metricsPort(), registry.registry(), security);
      log.info("Worker {} serves metrics at {}/metrics", config.workerId(), metricsServer.url());
    }
  }

  /** The worker's meters, served at {@code /metrics} when {@code worker.metrics.port} is set. */
  public MeterRegistry registry() {
    return registry.registry();
  }

  /** The metrics server's base URL, if it serves one. */
  public Optional<String> metricsUrl() {
    return Optional.ofNullable(metricsServer).map(MetricsServer::url);
  }

  private void declareTypes(Clients clients, WeftTopics topics) {
    Serializer<TaskTypeDeclared> serializer = clients.serializer();
    try (KafkaProducer<byte[], byte[]> producer = clients.shortLivedProducer("declarations")) {
      List<Future<?>> sent = new ArrayList<>();
      for (TaskHandler handler : handlers.values()) {
        TaskTypeDeclared declared =
            new TaskTypeDeclared(
                handler.taskType(),
                handler.description(),
                config.workerId(),
                Instant.ofEpochMilli(time.milliseconds()));
        byte[] value = serializer.serialize(topics.taskTypes(), declared);
        byte[] key = handler.taskType().getBytes(StandardCharsets.UTF_8);
        sent.add(producer.send(new ProducerRecord<>(topics.taskTypes(), key, value)));
      }
      for (Future<?> future : sent) {
        future.get(DECLARE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while declaring task types", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new WeftException("Cannot declare task types " + handlers.keySet() + ": " + e, e);
    }
  }

  /**
   * Stops taking requests, lets in-flight attempts finish and commit within the shutdown timeout,
   * abandons the rest uncommitted, and closes every client.
   */
  public void close() {
    long deadline = time.nanoseconds() + config.shutdownTimeout().toNanos();
    loops.forEach(loop -> loop.beginShutdown(deadline));
    Duration wait = config.shutdownTimeout().plus(CLIENT_CLOSE_MARGIN);
    try {
      for (TaskLoop loop : loops) {
        if (!loop.awaitTermination(wait)) {
          log.warn("A task loop of worker {} did not stop within {}", config.workerId(), wait);
        }
      }
      if (watcher != null) {
        watcher.close(CLIENT_CLOSE_MARGIN);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeHandlers();
      closeMetrics();
      RUNNING_IDS.remove(idKey);
    }
    log.info(
        "Worker {} closed: {} executions, {} failures, {} dead-lettered, {} expired, {} already"
            + " done, {} rebalances",
        config.workerId(),
        counters.executions.sum(),
        counters.failures.sum(),
        counters.deadLettered.sum(),
        counters.expired.sum(),
        counters.alreadyDone.sum(),
        counters.rebalances.sum());
  }

  private void closeMetrics() {
    if (metricsServer != null) {
      metricsServer.close();
      metricsServer = null;
    }
    if (clients != null) {
      clients.closeMetrics();
    }
    registry.close();
  }

  private void closeHandlers() {
    for (TaskHandler handler : configured) {
      try {
        handler.close();
      } catch (RuntimeException e) {
        log.warn("Closing the handler of task type {} failed", handler.taskType(), e);
      }
    }
    configured.clear();
  }

  /** Whether a task loop stopped on an unrecoverable error. */
  public boolean hasFailed() {
    return loops.stream().anyMatch(TaskLoop::hasFailed);
  }
}

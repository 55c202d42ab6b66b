package io.weft.benchmarks;

import io.weft.core.api.Coordinator;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WeftTopics;
import io.weft.embedded.WeftStack;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.Worker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One Weft installation on the benchmark's stack: its own topic prefix, a coordinator in this JVM
 * with the engine's default settings (plus any overrides given on the command line), a client, and
 * workers made on demand.
 */
final class Installation implements AutoCloseable {

  private final WeftStack stack;
  private final String prefix;
  private final Path dir;
  private final Map<String, String> coordinatorOverrides;
  private final Map<String, String> workerOverrides;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Coordinator coordinator;
  private final WeftClient client;
  private int workerCount;

  Installation(
      WeftStack stack,
      Path dir,
      Map<String, String> coordinatorOverrides,
      Map<String, String> workerOverrides) {
    this.stack = stack;
    this.prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    this.dir = dir.resolve(prefix);
    this.coordinatorOverrides = Map.copyOf(coordinatorOverrides);
    this.workerOverrides = Map.copyOf(workerOverrides);
    this.coordinator = Coordinator.start(coordinatorSettings());
    Map<String, Object> clientSettings = new HashMap<>(common());
    clientSettings.put("weft.query.url", coordinator.queryUrl());
    this.client = WeftClient.create(clientSettings);
  }

  WeftStack stack() {
    return stack;
  }

  WeftTopics topics() {
    return new WeftTopics(prefix);
  }

  Coordinator coordinator() {
    return coordinator;
  }

  WeftClient client() {
    return client;
  }

  String applicationId() {
    return prefix + "coordinator";
  }

  Path coordinatorStateDir() {
    return dir.resolve("coordinator-state");
  }

  Path dir() {
    return dir;
  }

  Map<String, String> coordinatorOverrides() {
    return coordinatorOverrides;
  }

  Map<String, Object> coordinatorSettings() {
    Map<String, Object> settings = new HashMap<>(common());
    settings.put("application.id", applicationId());
    settings.put("state.dir", coordinatorStateDir().toString());
    settings.putAll(coordinatorOverrides);
    return settings;
  }

  /** Where the workers keep their artifacts ({@code worker.artifact.dir}). */
  Path artifactDir() {
    return dir.resolve("artifacts");
  }

  /** The connection settings of this installation (broker, registry, topic prefix), mutable. */
  Map<String, Object> connection() {
    return new HashMap<>(common());
  }

  /** Settings of a worker: the engine's defaults, its own id and directory, any overrides. */
  synchronized Map<String, Object> workerSettings(String workerId) {
    Map<String, Object> settings = new HashMap<>(common());
    settings.put("worker.id", workerId);
    settings.put("worker.artifact.dir", artifactDir().toString());
    settings.putAll(workerOverrides);
    return settings;
  }

  /** Starts a worker in this JVM serving {@code handlers}; closed with the installation. */
  synchronized Worker startWorker(Map<String, Object> extra, TaskHandler... handlers) {
    Map<String, Object> settings = workerSettings("bench-worker-" + (++workerCount));
    settings.putAll(extra);
    Worker.Builder builder = Worker.builder(settings);
    for (TaskHandler handler : handlers) {
      builder.handler(handler);
    }
    Worker worker = builder.build().start();
    closeables.add(worker);
    return worker;
  }

  private Map<String, Object> common() {
    return Map.of(
        "bootstrap.servers",
        stack.bootstrapServers(),
        "schema.registry.url",
        stack.schemaRegistryUrl(),
        "weft.topic.prefix",
        prefix);
  }

  @Override
  public void close() throws Exception {
    client.close();
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    coordinator.close();
  }
}

package io.weft.cli;

import io.weft.core.api.Coordinator;
import io.weft.core.api.WeftClient;
import io.weft.embedded.WeftStack;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.Worker;
import io.weft.workers.serving.InferenceServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * A whole Weft in one process: the embedded broker and registry, a coordinator, a worker for every
 * built-in task type and the inference service, all with their data under one work directory.
 */
final class EmbeddedWeft implements AutoCloseable {

  private final WeftStack stack;
  private final Path workDir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private Coordinator coordinator;
  private InferenceServer inference;
  private WeftClient client;

  private EmbeddedWeft(WeftStack stack, Path workDir) {
    this.stack = stack;
    this.workDir = workDir;
  }

  /**
   * Starts the broker and registry under {@code workDir}; the registry's distribution is unpacked
   * under {@code workDir/dist}, or where system property {@code weft.registry.home} says.
   */
  static EmbeddedWeft startStack(Path workDir) {
    String home = System.getProperty("weft.registry.home");
    Path dist = home == null || home.isBlank() ? workDir.resolve("dist") : Path.of(home);
    return new EmbeddedWeft(WeftStack.start(workDir, dist), workDir);
  }

  /** Connection settings every component shares. */
  Map<String, Object> connection() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", stack.bootstrapServers());
    settings.put("schema.registry.url", stack.schemaRegistryUrl());
    return settings;
  }

  EmbeddedWeft startCoordinator() {
    Map<String, Object> settings = connection();
    settings.put("application.id", "weft-coordinator");
    settings.put("state.dir", workDir.resolve("coordinator-state").toString());
    coordinator = Coordinator.start(settings);
    running.add(coordinator);
    return this;
  }

  /** One worker serving every task type found with {@link ServiceLoader}; returns the types. */
  TreeSet<String> startWorkers(int concurrency) {
    Map<String, Object> settings = connection();
    settings.put("worker.artifact.dir", artifacts().toString());
    settings.put("worker.concurrency", String.valueOf(concurrency));
    Worker.Builder builder = Worker.builder(settings);
    TreeSet<String> types = new TreeSet<>();
    for (TaskHandler handler : ServiceLoader.load(TaskHandler.class)) {
      if (types.add(handler.taskType())) {
        builder.handler(handler);
      }
    }
    running.add(builder.build().start());
    return types;
  }

  EmbeddedWeft startInference() {
    Map<String, Object> settings = connection();
    settings.put("serve.artifact.dir", artifacts().toString());
    settings.put("serve.port", "0");
    inference = InferenceServer.start(settings);
    running.add(inference);
    return this;
  }

  Path artifacts() {
    return workDir.resolve("artifacts");
  }

  WeftStack stack() {
    return stack;
  }

  String queryUrl() {
    return coordinator.queryUrl();
  }

  InferenceServer inference() {
    return inference;
  }

  WeftClient client() {
    if (client == null) {
      Map<String, Object> settings = connection();
      settings.put("weft.query.url", queryUrl());
      client = WeftClient.create(settings);
      running.add(client);
    }
    return client;
  }

  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    stack.close();
  }
}

package io.weft.cli;

import io.weft.core.api.CoordinatorConfig;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WeftTopics;
import io.weft.embedded.WeftStack;
import io.weft.serving.InferenceServer;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.TaskHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * A whole Weft in one process, for {@code weft up} and {@code weft demo}: the embedded broker and
 * registry, a coordinator, workers for the task types on the classpath and the inference service,
 * all with their data under one work directory. The installation's parts are the test kit's {@link
 * WeftInstallation}, with the engine's default settings; closing stops them last started first,
 * then the stack.
 */
final class EmbeddedWeft implements AutoCloseable {

  private final WeftStack stack;
  private final WeftInstallation installation;
  private InferenceServer inference;

  private EmbeddedWeft(WeftStack stack, Path workDir) {
    this.stack = stack;
    this.installation =
        WeftInstallation.create(stack, WeftTopics.DEFAULT_PREFIX, workDir)
            .withCoordinatorSettings(
                Map.of(CoordinatorConfig.APPLICATION_ID_CONFIG, "weft-coordinator"));
    // the stack's shutdown hook stops the installation before the broker it runs on
    stack.closeFirst(installation);
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

  /** Starts a coordinator whose query API listens on loopback at {@code queryPort} (0: free). */
  EmbeddedWeft startCoordinator(int queryPort) {
    installation.withCoordinatorSettings(Map.of(CoordinatorConfig.QUERY_PORT_CONFIG, queryPort));
    installation.startCoordinator();
    return this;
  }

  EmbeddedWeft startCoordinator() {
    return startCoordinator(0);
  }

  /** One worker serving every task type found with ServiceLoader; returns the types. */
  TreeSet<String> startWorkers(int concurrency) {
    Map<String, TaskHandler> handlers = WorkerCommand.handlers();
    installation.startWorker(
        Map.of("worker.concurrency", String.valueOf(concurrency)),
        handlers.values().toArray(TaskHandler[]::new));
    return new TreeSet<>(handlers.keySet());
  }

  EmbeddedWeft startInference() {
    Map<String, Object> settings = installation.connection();
    settings.put("serve.artifact.dir", artifacts().toString());
    settings.put("serve.port", "0");
    inference = installation.closeWith(InferenceServer.start(settings));
    return this;
  }

  Path artifacts() {
    return installation.artifactDir();
  }

  WeftStack stack() {
    return stack;
  }

  String queryUrl() {
    return installation.queryUrl();
  }

  InferenceServer inference() {
    return inference;
  }

  WeftClient client() {
    return installation.client();
  }

  /** Stops the installation, then the broker and registry. */
  @Override
  public void close() {
    stack.close();
  }
}

package io.weft.cli;

import io.weft.core.api.Coordinator;
import io.weft.embedded.WeftStack;
import io.weft.workers.api.Worker;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * One isolated Weft installation for the command's integration tests: its own topic prefix and
 * directories on the shared broker, a coordinator and a worker in this JVM (the worker serving
 * every handler found through ServiceLoader), and config files for the commands.
 */
final class CliKit implements AutoCloseable {

  private final WeftStack stack;
  final String prefix;
  final Path dir;
  private Coordinator coordinator;
  private Worker worker;

  CliKit(WeftStack stack, String name) {
    this.stack = stack;
    this.prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    this.dir = Path.of(System.getProperty("weft.test.dir", "target/weft-test"), prefix);
  }

  Map<String, Object> coordinatorSettings() {
    Map<String, Object> settings = new HashMap<>(common());
    settings.put("application.id", prefix + "coordinator");
    settings.put("state.dir", dir.resolve("coordinator-state").toString());
    settings.put("weft.partitions", "3");
    settings.put("commit.interval.ms", "50");
    settings.put("weft.timer.interval.ms", "100");
    settings.put("streams.fetch.max.wait.ms", "10");
    return settings;
  }

  CliKit startCoordinator() {
    coordinator = Coordinator.start(coordinatorSettings());
    return this;
  }

  void stopCoordinator() {
    coordinator.close();
    coordinator = null;
  }

  CliKit startWorker() {
    Map<String, Object> settings = new HashMap<>(common());
    settings.put("worker.artifact.dir", dir.resolve("artifacts").toString());
    settings.put("worker.concurrency", "4");
    settings.put("consumer.fetch.max.wait.ms", "10");
    Worker.Builder builder = Worker.builder(settings);
    WorkerCommand.handlers().values().forEach(builder::handler);
    worker = builder.build().start();
    return this;
  }

  /** A config file for the client commands, pointing at the running coordinator. */
  Path clientConfig() throws IOException {
    Map<String, Object> settings = new HashMap<>(common());
    settings.put("weft.query.url", coordinator.queryUrl());
    return write("client.properties", settings);
  }

  Path coordinatorConfig() throws IOException {
    return write("coordinator.properties", coordinatorSettings());
  }

  Map<String, Object> common() {
    return Map.of(
        "bootstrap.servers", stack.bootstrapServers(),
        "schema.registry.url", stack.schemaRegistryUrl(),
        "weft.topic.prefix", prefix);
  }

  private Path write(String name, Map<String, Object> settings) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Properties props = new Properties();
    settings.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    try (Writer out = Files.newBufferedWriter(file)) {
      props.store(out, null);
    }
    return file;
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }
}

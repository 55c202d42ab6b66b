package io.weft.cli;

import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.Worker;
import io.weft.workers.api.WorkerConfig;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft worker}: a worker serving task types whose handlers are on the classpath. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a worker serving the given task types until interrupted.",
      "Handlers are found with java.util.ServiceLoader: put a jar listing them in"
          + " META-INF/services/io.weft.workers.api.TaskHandler on the classpath."
          + " --config takes the worker's keys (worker.id, worker.artifact.dir, ...)."
    })
final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--types",
      split = ",",
      required = true,
      paramLabel = "TYPE",
      description = "Task types to serve, comma-separated.")
  List<String> types;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Tasks executed at once per type (worker.concurrency).")
  Integer concurrency;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, TaskHandler> available = handlers();
    List<String> unknown = types.stream().filter(t -> !available.containsKey(t)).toList();
    if (!unknown.isEmpty()) {
      throw new CliException(
          Weft.INVALID,
          "no handler for task type(s) "
              + String.join(", ", unknown)
              + "; available: "
              + (available.isEmpty() ? "none" : String.join(", ", available.keySet())));
    }
    Map<String, Object> settings = new HashMap<>(connection.componentSettings());
    if (concurrency != null) {
      settings.put(WorkerConfig.CONCURRENCY_CONFIG, concurrency);
    }
    WorkerConfig config = new WorkerConfig(settings);
    Map<String, Object> admin = new HashMap<>(config.adminOverrides());
    admin.put("bootstrap.servers", config.bootstrapServers());
    Kafka.requireReachable(admin);
    Worker.Builder builder = Worker.builder(settings);
    types.forEach(t -> builder.handler(available.get(t)));
    Worker worker = builder.build().start();
    PrintWriter out = spec.commandLine().getOut();
    out.println("worker " + worker.workerId() + " serving " + String.join(", ", types));
    out.println("Press Ctrl-C to stop.");
    out.flush();
    UntilStopped.await("weft-worker", worker::close);
    return Weft.OK;
  }

  /** The handlers on the classpath, by task type. */
  static Map<String, TaskHandler> handlers() {
    Map<String, TaskHandler> handlers = new TreeMap<>();
    ServiceLoader.load(TaskHandler.class).forEach(h -> handlers.putIfAbsent(h.taskType(), h));
    return handlers;
  }
}

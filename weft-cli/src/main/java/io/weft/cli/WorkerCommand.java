package io.weft.cli;

import io.weft.workers.api.ExecCommand;
import io.weft.workers.api.ExecHandler;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.Worker;
import io.weft.workers.api.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft worker}: a worker serving task types with handlers or programs. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a worker serving the given task types until interrupted.",
      "Handlers are found with java.util.ServiceLoader, on the classpath and in the jars of"
          + " --handlers DIR: a jar lists them in"
          + " META-INF/services/io.weft.workers.api.TaskHandler. --exec serves a task type with a"
          + " program in any language. --config takes the worker's keys (worker.id,"
          + " worker.artifact.uri, artifact.s3.*, ...)."
    })
final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--types",
      split = ",",
      paramLabel = "TYPE",
      description =
          "Task types to serve, comma-separated. Default: the --exec types and every handler in"
              + " --handlers DIR.")
  List<String> types;

  @Option(
      names = "--handlers",
      paramLabel = "DIR",
      description = "A directory of handler jars (and the jars they need) to load.")
  Path handlersDir;

  @Option(
      names = "--exec",
      paramLabel = "TYPE=COMMAND",
      description =
          "Serves TYPE by running COMMAND once per attempt (repeatable), e.g."
              + " --exec py-train='python3 train.py'; the attempt's input is on its stdin.")
  List<String> exec = List.of();

  @Option(
      names = "--exec-dir",
      paramLabel = "DIR",
      description = "Working directory of the --exec programs (default: the current one).")
  Path execDir;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Tasks executed at once per type (worker.concurrency).")
  Integer concurrency;

  @Option(
      names = "--cpu",
      paramLabel = "CORES",
      description =
          "CPU cores this worker offers the tasks' declared resources (worker.capacity.cpu;"
              + " default: the machine's).")
  String cpu;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      description = "Memory it offers, e.g. 16Gi (worker.capacity.memory; default: the machine's).")
  String memory;

  @Option(
      names = "--gpus",
      paramLabel = "N",
      description =
          "GPUs it offers (worker.capacity.gpu; default 0). With GPUs it also serves each type's"
              + " GPU pool, tasks.<type>.gpu.")
  Integer gpus;

  @Override
  public Integer call() throws InterruptedException {
    HandlerJars jars = handlersDir == null ? HandlerJars.none() : HandlerJars.load(handlersDir);
    Map<String, TaskHandler> available = handlers(jars.classLoader());
    List<ExecCommand> commands = execCommands();
    commands.forEach(c -> available.put(c.taskType(), new ExecHandler(c)));
    List<String> serve = typesToServe(commands, jars, available);
    List<String> unknown = serve.stream().filter(t -> !available.containsKey(t)).toList();
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
    if (cpu != null) {
      settings.put(WorkerConfig.CAPACITY_CPU_CONFIG, cpu);
    }
    if (memory != null) {
      settings.put(WorkerConfig.CAPACITY_MEMORY_CONFIG, memory);
    }
    if (gpus != null) {
      settings.put(WorkerConfig.CAPACITY_GPU_CONFIG, gpus);
    }
    WorkerConfig config = new WorkerConfig(settings);
    Map<String, Object> admin = new HashMap<>(config.adminOverrides());
    admin.put("bootstrap.servers", config.bootstrapServers());
    Kafka.requireReachable(admin);
    Worker.Builder builder = Worker.builder(settings);
    serve.forEach(t -> builder.handler(available.get(t)));
    Worker worker = builder.build().start();
    PrintWriter out = spec.commandLine().getOut();
    out.println("worker " + worker.workerId() + " serving " + String.join(", ", serve));
    out.println("Press Ctrl-C to stop.");
    out.flush();
    UntilStopped.await("weft-worker", worker::close);
    return Weft.OK;
  }

  private List<ExecCommand> execCommands() {
    List<ExecCommand> commands = new ArrayList<>();
    for (String spec : exec) {
      try {
        commands.add(ExecCommand.parse(spec, execDir));
      } catch (IllegalArgumentException e) {
        throw new CliException(Weft.INVALID, "--exec: " + e.getMessage());
      }
    }
    return commands;
  }

  private List<String> typesToServe(
      List<ExecCommand> commands, HandlerJars jars, Map<String, TaskHandler> available) {
    Set<String> serve = new LinkedHashSet<>();
    if (types != null) {
      serve.addAll(types);
    }
    commands.forEach(c -> serve.add(c.taskType()));
    if (types == null) {
      available.forEach(
          (type, handler) -> {
            if (jars.loaded(handler)) {
              serve.add(type);
            }
          });
    }
    if (serve.isEmpty()) {
      throw new CliException(
          Weft.INVALID,
          "nothing to serve: give --types, --exec or --handlers (available on the classpath: "
              + (available.isEmpty() ? "none" : String.join(", ", available.keySet()))
              + ")");
    }
    return List.copyOf(serve);
  }

  /** The handlers on the classpath, by task type. */
  static Map<String, TaskHandler> handlers() {
    return handlers(WorkerCommand.class.getClassLoader());
  }

  /** The handlers {@code loader} sees (the classpath, and handler jars if it has them). */
  static Map<String, TaskHandler> handlers(ClassLoader loader) {
    return HandlerJars.handlers(loader);
  }
}

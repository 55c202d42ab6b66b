package io.weft.cli;

import io.weft.core.api.RunView;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.events.RunSucceeded;
import io.weft.workers.api.LocalArtifactStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft demo}: the MNIST workflow on a whole Weft in this process. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the MNIST workflow (examples/mnist.yaml) on a whole Weft in this process: the embedded"
          + " broker and schema registry, a coordinator, workers for every built-in task type and"
          + " the inference service, all under the work directory.",
      "Shows the run live, then its summary, the registered model version and a sample"
          + " inference. Exits 0 if the run succeeds, 1 with the failing task's error if not."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--work-dir",
      defaultValue = "weft-data/demo",
      description = "Directory for all the demo's data, emptied first (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--workflow",
      defaultValue = "examples/mnist.yaml",
      description = "The workflow to run (default: ${DEFAULT-VALUE}).")
  Path workflow;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "KEY=VALUE",
      description = "A run parameter, e.g. --param architecture=cnn --param epochs=3.")
  List<String> params = new ArrayList<>();

  @Option(
      names = "--keep-running",
      description = "Leave everything running afterwards and print how to connect to it.")
  boolean keepRunning;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "15m",
      converter = Durations.class,
      description = "How long the run may take (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    WorkflowDefinition definition = Definitions.readValid(workflow);
    var runParams = Params.parse(params);
    long began = System.nanoTime();
    empty(workDir);
    out.println("Starting Weft in " + workDir.toAbsolutePath() + " ...");
    out.flush();
    EmbeddedWeft weft = EmbeddedWeft.startStack(workDir);
    try {
      weft.startCoordinator();
      out.println(
          "  broker "
              + weft.stack().bootstrapServers()
              + ", schema registry "
              + weft.stack().schemaRegistryUrl()
              + ", query API "
              + weft.queryUrl());
      out.println("  web UI " + weft.queryUrl() + "/ui/");
      out.println("  workers for " + String.join(", ", weft.startWorkers(2)));
      weft.startInference();
      out.println("  inference service " + weft.inference().uri());
      WeftClient client = weft.client();
      Definitions.register(client, workflow);
      DemoProgress progress = new DemoProgress(out);
      String runId = client.startRun(definition.name(), definition.version(), runParams, null);
      out.printf("%nRun %s of %s v%d%n", runId, definition.name(), definition.version());
      Object end;
      try (AutoCloseable following = client.follow(runId, progress::on)) {
        end = progress.end().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new CliException(Weft.FAILED, "run " + runId + " did not end within " + timeout);
      }
      RunView run = client.awaitCompletion(runId, Duration.ofSeconds(30));
      DemoSummary summary = new DemoSummary(out);
      summary.run(run);
      if (!(end instanceof RunSucceeded)) {
        throw new CliException(
            Weft.FAILED,
            "run "
                + runId
                + " "
                + run.status().name().toLowerCase()
                + (run.failedTaskId() == null ? "" : ": task " + run.failedTaskId())
                + (run.error() == null ? "" : ": " + run.error()));
      }
      if (run.tasks().containsKey("register") && run.tasks().containsKey("prepare")) {
        String model = run.tasks().get("register").outputs().get("name").asText();
        int production = client.production(model).map(v -> v.getVersion()).orElse(0);
        out.printf(
            "%nModel %s version %s registered; production is version %s%n",
            model,
            run.tasks().get("register").outputs().get("version").asText(),
            production == 0 ? "none" : String.valueOf(production));
        // the service loads a newly promoted version off the request path, shortly after
        if (!weft.inference().awaitServing(model, production, Duration.ofSeconds(60))) {
          throw new CliException(
              Weft.FAILED, "the inference service did not load " + model + " v" + production);
        }
        summary.sampleInference(
            run, new LocalArtifactStore(weft.artifacts()), weft.inference().uri(), model);
      }
      out.printf(
          "%nFrom the command to the first task dispatched: %s; in all: %s%n",
          DemoProgress.seconds(progress.firstDispatchMillis() + ms(began, progress)),
          DemoProgress.seconds(Duration.ofNanos(System.nanoTime() - began).toMillis()));
      out.flush();
      if (keepRunning) {
        out.println();
        out.println("Weft keeps running. Connect with:");
        out.println(
            "  --bootstrap-servers "
                + weft.stack().bootstrapServers()
                + " --schema-registry-url "
                + weft.stack().schemaRegistryUrl());
        out.println("  query API:         " + weft.queryUrl());
        out.println("  web UI:            " + weft.queryUrl() + "/ui/");
        out.println("  inference service: " + weft.inference().uri());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        UntilStopped.await("weft-demo", weft::close);
      }
      return Weft.OK;
    } finally {
      weft.close();
    }
  }

  /** Milliseconds from the command's start to the start of the run's progress clock. */
  private static long ms(long began, DemoProgress progress) {
    return Duration.ofNanos(progress.startedNanos() - began).toMillis();
  }

  /** Empties the work directory, keeping the unpacked registry distribution. */
  private static void empty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.filter(p -> !p.getFileName().toString().equals("dist")).toList()) {
        try (Stream<Path> tree = Files.walk(entry)) {
          for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }
}

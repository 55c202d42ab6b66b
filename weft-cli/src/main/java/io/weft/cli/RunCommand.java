package io.weft.cli;

import io.weft.common.WeftException;
import io.weft.core.api.ClientConfig;
import io.weft.core.api.RunView;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft run FILE}: registers a workflow file and starts a run of it. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Registers a workflow file (as 'weft register') and starts a run of that version.",
      "Prints the run id and returns once a coordinator has taken the run (exit 1 if none did",
      "within 30 s). With --wait or --watch, exits 0 if the run succeeds, 1 otherwise."
    })
final class RunCommand implements Callable<Integer> {

  private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "FILE", description = "The workflow YAML file.")
  Path file;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "KEY=VALUE",
      description = "A run parameter; the value is JSON if it parses as JSON, else a string.")
  List<String> params = new ArrayList<>();

  @Option(
      names = "--run-key",
      paramLabel = "KEY",
      description = "Idempotency key: the same workflow and key start one run only.")
  String runKey;

  @ArgGroup(exclusive = true)
  Follow follow = new Follow();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "24h",
      converter = Durations.class,
      description = "How long --wait and --watch wait (e.g. 90s, 30m; default: ${DEFAULT-VALUE}).")
  Duration timeout;

  static final class Follow {
    @Option(names = "--wait", description = "Wait until the run ends.")
    boolean waitForEnd;

    @Option(names = "--watch", description = "Print the run's events until it ends.")
    boolean watch;
  }

  @Override
  public Integer call() throws Exception {
    var parsed = Params.parse(params);
    WorkflowDefinition definition = Definitions.readValid(file);
    PrintWriter out = spec.commandLine().getOut();
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      Definitions.register(client, file);
      String runId = client.startRun(definition.name(), definition.version(), parsed, runKey);
      out.println(runId);
      out.flush();
      awaitAccepted(client, runId);
      if (follow.watch) {
        return Watching.watch(client, runId, out, timeout);
      }
      if (follow.waitForEnd) {
        RunView run = client.awaitCompletion(runId, timeout);
        out.println(run.status());
        return run.status() == RunView.Status.SUCCEEDED ? Weft.OK : Weft.FAILED;
      }
    }
    return Weft.OK;
  }

  /**
   * Returns once the coordinator knows the run, so that a {@code weft status} or {@code weft watch}
   * typed next finds it. Without a query URL there is no one to ask: the run is published.
   */
  private void awaitAccepted(WeftClient client, String runId) {
    if (connection.clientSettings().get(ClientConfig.QUERY_URL_CONFIG) == null) {
      return;
    }
    Duration bound = timeout.compareTo(ACCEPT_TIMEOUT) < 0 ? timeout : ACCEPT_TIMEOUT;
    try {
      client.awaitAccepted(runId, bound);
    } catch (WeftException e) {
      throw new CliException(
          Weft.FAILED,
          "run "
              + runId
              + " is queued, but no coordinator reported it within "
              + bound.toSeconds()
              + " s"
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")")
              + "; it starts when a coordinator runs");
    }
  }
}

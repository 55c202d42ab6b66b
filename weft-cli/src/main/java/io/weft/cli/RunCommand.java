package io.weft.cli;

import io.weft.common.WeftException;
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
      "Prints the run id, then waits until a coordinator has taken the run (if none has within",
      "--timeout, it says so and exits 0: the run is queued and starts when one runs).",
      "With --wait or --watch, exits 0 if the run succeeds, 1 otherwise."
    })
final class RunCommand implements Callable<Integer> {

  private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration END_TIMEOUT = Duration.ofHours(24);

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
      converter = Durations.class,
      description =
          "How long to wait (e.g. 90s, 30m): with --wait or --watch for the run's end (default:"
              + " 24h), else for a coordinator to take the run (default: 30s).")
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
      if (follow.watch) {
        return Watching.watch(client, runId, out, timeoutOr(END_TIMEOUT));
      }
      if (follow.waitForEnd) {
        RunView run = client.awaitCompletion(runId, timeoutOr(END_TIMEOUT));
        out.println(run.status());
        return run.status() == RunView.Status.SUCCEEDED ? Weft.OK : Weft.FAILED;
      }
      awaitAccepted(client, runId);
    }
    return Weft.OK;
  }

  private Duration timeoutOr(Duration otherwise) {
    return timeout == null ? otherwise : timeout;
  }

  /**
   * Returns once the coordinator knows the run, so that a {@code weft status} or {@code weft watch}
   * typed next finds it. Without a query API there is no one to ask: the run is published. A run no
   * coordinator has taken yet is still started (its command is on the commands topic), so that is a
   * warning, not a failure a script would answer by starting it again.
   */
  private void awaitAccepted(WeftClient client, String runId) {
    if (!client.hasQueryApi()) {
      return;
    }
    Duration bound = timeoutOr(ACCEPT_TIMEOUT);
    try {
      client.awaitAccepted(runId, bound);
    } catch (WeftException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "weft: warning: run "
              + runId
              + " is queued, but no coordinator reported it within "
              + Durations.format(bound)
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")")
              + "; it starts when a coordinator takes it");
      err.flush();
    }
  }
}

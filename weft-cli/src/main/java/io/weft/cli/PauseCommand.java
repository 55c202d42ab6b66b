package io.weft.cli;

import io.weft.core.api.RunView;
import io.weft.core.api.WeftClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft pause RUN}. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description = {
      "Pauses a running run: it dispatches nothing new until weft resume; tasks already"
          + " dispatched run to their end and their results are kept.",
      "Exits 1 if the coordinator does not know the run, 2 if it is not running."
    })
final class PauseCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(names = "--reason", description = "Why; recorded with the pause.")
  String reason;

  @Override
  public Integer call() {
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      RunView run = StatusCommand.find(client, runId);
      if (run.isFinished()) {
        throw new CliException(
            Weft.INVALID, "run " + runId + " is " + run.status() + ", not running");
      }
      if (run.paused()) {
        spec.commandLine().getOut().println("ALREADY PAUSED " + runId);
        return Weft.OK;
      }
      client.pause(runId, reason == null ? "paused with weft pause" : reason);
    }
    spec.commandLine().getOut().println("PAUSE REQUESTED " + runId);
    return Weft.OK;
  }
}

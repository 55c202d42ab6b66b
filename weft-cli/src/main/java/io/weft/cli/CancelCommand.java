package io.weft.cli;

import io.weft.core.api.WeftClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft cancel RUN}. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Asks the coordinator to cancel a run. Exits 1 if it does not know the run.")
final class CancelCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(names = "--reason", description = "Why; recorded with the cancellation.")
  String reason;

  @Override
  public Integer call() {
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      StatusCommand.find(client, runId);
      client.cancel(runId, reason == null ? "cancelled with weft cancel" : reason);
    }
    spec.commandLine().getOut().println("CANCEL REQUESTED " + runId);
    return Weft.OK;
  }
}

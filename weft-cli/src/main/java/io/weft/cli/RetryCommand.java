package io.weft.cli;

import io.weft.core.api.WeftClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft retry RUN}. */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description = {
      "Re-runs the failed and not-yet-run tasks of a failed run.",
      "Exits 1 if the coordinator does not know the run."
    })
final class RetryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Override
  public Integer call() {
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      StatusCommand.find(client, runId);
      client.retry(runId);
    }
    spec.commandLine().getOut().println("RETRY REQUESTED " + runId);
    return Weft.OK;
  }
}

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

/** {@code weft status RUN}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Prints a run's status and its tasks'. Exits 1 if the coordinator does not know it.")
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Output.Format format;

  @Override
  public Integer call() {
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      Output.run(spec.commandLine().getOut(), find(client, runId), format);
    }
    return Weft.OK;
  }

  /** The run, or a failure saying the coordinator does not know it. */
  static RunView find(WeftClient client, String runId) {
    return client
        .status(runId)
        .orElseThrow(() -> new CliException(Weft.FAILED, "run " + runId + " not found"));
  }
}

package io.weft.cli;

import io.weft.core.api.WeftClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft watch RUN}. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a run's events, from its first, until the run ends.",
      "Exits 0 if it succeeded, 1 if it failed or was cancelled or is not known."
    })
final class WatchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "24h",
      converter = Durations.class,
      description = "How long to wait for the end (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      StatusCommand.find(client, runId);
      return Watching.watch(client, runId, spec.commandLine().getOut(), timeout);
    }
  }
}

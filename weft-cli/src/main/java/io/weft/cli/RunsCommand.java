package io.weft.cli;

import io.weft.core.api.RunView;
import io.weft.core.api.WeftClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft runs}. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists runs.")
final class RunsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--status", description = "Only runs with this status: ${COMPLETION-CANDIDATES}.")
  RunView.Status status;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many runs, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Output.Format format;

  @Override
  public Integer call() {
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      Output.runs(spec.commandLine().getOut(), client.runs(status, limit), format);
    }
    return Weft.OK;
  }
}

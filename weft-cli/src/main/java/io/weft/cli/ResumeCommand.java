package io.weft.cli;

import io.weft.core.api.RunView;
import io.weft.core.api.WeftClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft resume RUN}. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "Resumes a paused run: the tasks that became ready and the retries that fell due while it"
          + " was paused are dispatched now.",
      "Exits 1 if the coordinator does not know the run, 2 if it is not paused."
    })
final class ResumeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Override
  public Integer call() {
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      RunView run = StatusCommand.find(client, runId);
      if (!run.paused()) {
        throw new CliException(
            Weft.INVALID,
            "run " + runId + " is not paused (" + run.status() + "); weft pause pauses it");
      }
      client.resume(runId);
    }
    spec.commandLine().getOut().println("RESUME REQUESTED " + runId);
    return Weft.OK;
  }
}

package io.weft.cli;

import io.weft.core.api.WeftClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft register FILE}. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Validates a workflow file against the task types workers have declared and registers it.",
      "Prints REGISTERED, or UNCHANGED if that version is registered with the same content."
    })
final class RegisterCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "FILE", description = "The workflow YAML file.")
  Path file;

  @Override
  public Integer call() {
    try (WeftClient client = WeftClient.create(connection.clientSettings())) {
      spec.commandLine().getOut().println(Definitions.register(client, file) + " " + file);
    }
    return Weft.OK;
  }
}

package io.weft.cli;

import io.weft.core.api.WorkflowDefinition;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft validate FILE}: offline validation of a workflow file. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Parses and validates a workflow file offline (task types are not checked).",
      "Prints every problem, one per line, and exits 2 if there are any."
    })
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The workflow YAML file.")
  Path file;

  @Override
  public Integer call() {
    WorkflowDefinition definition = Definitions.readValid(file);
    spec.commandLine()
        .getOut()
        .println("VALID " + file + ": '" + definition.name() + "' version " + definition.version());
    return Weft.OK;
  }
}

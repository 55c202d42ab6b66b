package io.weft.cli;

import io.weft.core.api.DefinitionProblem;
import io.weft.core.api.InvalidDefinitionException;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.api.WorkflowValidator;
import io.weft.core.api.WorkflowYaml;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Reading, validating and registering workflow files, with every problem reported. */
final class Definitions {

  private Definitions() {}

  /** Parses and validates {@code file} offline (task types unchecked). */
  static WorkflowDefinition readValid(Path file) {
    WorkflowDefinition definition = read(file);
    List<DefinitionProblem> problems = WorkflowValidator.withoutTypeCheck().problems(definition);
    if (!problems.isEmpty()) {
      throw invalid(file, problems);
    }
    return definition;
  }

  /** Validates {@code file} against the declared task types and registers it. */
  static WeftClient.Registration register(WeftClient client, Path file) {
    WorkflowDefinition definition = readValid(file);
    try {
      return client.register(definition);
    } catch (InvalidDefinitionException e) {
      throw invalid(file, e.problems());
    }
  }

  private static WorkflowDefinition read(Path file) {
    try {
      return WorkflowYaml.read(file);
    } catch (InvalidDefinitionException e) {
      throw invalid(file, e.problems());
    } catch (UncheckedIOException e) {
      throw new CliException(Weft.INVALID, "cannot read " + file + ": " + e.getCause());
    }
  }

  private static CliException invalid(Path file, List<DefinitionProblem> problems) {
    return new CliException(Weft.INVALID, problems.stream().map(p -> file + ": " + p).toList());
  }
}

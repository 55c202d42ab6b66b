package io.weft.core.api;

import io.weft.core.internals.definition.YamlDefinitionReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads workflow definitions written in YAML (see the README's workflow YAML reference). */
public final class WorkflowYaml {

  private WorkflowYaml() {}

  /**
   * Parses a definition; {@code source} names it in error messages.
   *
   * @throws InvalidDefinitionException naming every structural problem (unknown keys, wrong types,
   *     bad durations); semantic checks are {@link WorkflowValidator}'s
   */
  public static WorkflowDefinition parse(String yaml, String source) {
    return YamlDefinitionReader.read(yaml, source);
  }

  /** Reads and parses a definition file. */
  public static WorkflowDefinition read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read workflow definition " + file, e);
    }
  }
}

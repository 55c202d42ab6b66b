package io.weft.core.api;

import io.weft.core.internals.definition.YamlDefinitionReader;
import io.weft.core.internals.definition.YamlDocument;
import java.nio.file.Path;

/**
 * Reads workflow definitions written in YAML (see the README's workflow YAML reference).
 *
 * <p>A definition may come from anyone who can run {@code weft validate} or register one, so the
 * reader bounds what a document may cost: at most {@value #MAX_DOCUMENT_BYTES} bytes, checked
 * before parsing; mappings and lists nested at most {@value #MAX_NESTING_DEPTH} deep; no scalar (a
 * string or a key) longer than {@value #MAX_SCALAR_CHARS} characters. YAML aliases ({@code *name})
 * are refused, which also rules out alias bombs, as are duplicate keys and a second document in the
 * same text. Each refusal is an {@link InvalidDefinitionException} that names the limit and, where
 * the parser knows it, the line and column.
 */
public final class WorkflowYaml {

  /** The largest definition document, in bytes of UTF-8: 1 MiB. */
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  /** How deep mappings and lists may nest, the document's own mapping counting as one. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** The longest string or key, in characters: 64 Ki, the default limit of all parameters. */
  public static final int MAX_SCALAR_CHARS = 64 * 1024;

  private WorkflowYaml() {}

  /**
   * Parses a definition; {@code source} names it in error messages.
   *
   * @throws InvalidDefinitionException naming every structural problem (unknown keys, wrong types,
   *     bad durations), or the limit the document passes; semantic checks are {@link
   *     WorkflowValidator}'s
   */
  public static WorkflowDefinition parse(String yaml, String source) {
    return YamlDefinitionReader.read(yaml, source);
  }

  /**
   * Reads and parses a definition file, reading no more of it than the size limit.
   *
   * @throws InvalidDefinitionException as {@link #parse} does, and if the file is not UTF-8
   * @throws java.io.UncheckedIOException if the file cannot be read
   */
  public static WorkflowDefinition read(Path file) {
    return parse(YamlDocument.read(file), file.toString());
  }
}

package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The values that references resolve to: the run's parameters, the outputs of finished tasks and
 * the current {@code forEach} item. Each method returns null when the value is absent (a present
 * JSON {@code null} is a {@link com.fasterxml.jackson.databind.node.NullNode}).
 */
public interface Bindings {

  /** The parameter {@code name}, or null. */
  JsonNode param(String name);

  /** The output {@code output} of task {@code taskId}, or null. */
  JsonNode taskOutput(String taskId, String output);

  /** The current {@code forEach} item, or null outside a {@code forEach}. */
  JsonNode item();

  /**
   * The value a reference points at, following its path through objects (by field name) and arrays
   * (by index).
   *
   * @throws ExpressionException naming the reference when it or a step of its path is absent
   */
  static JsonNode resolve(Reference reference, Bindings bindings) {
    return ReferenceResolver.resolve(reference, bindings, null, -1);
  }
}

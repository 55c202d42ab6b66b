package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** Resolves references against bindings, with messages that say which step is missing. */
final class ReferenceResolver {

  private static final int MAX_INDEX_DIGITS = 9;

  private ReferenceResolver() {}

  /**
   * @param source the text the reference appears in, or null
   * @param position where the reference starts in {@code source}, or -1
   */
  static JsonNode resolve(Reference reference, Bindings bindings, String source, int position) {
    Objects.requireNonNull(bindings, "bindings");
    JsonNode value = base(reference, bindings);
    if (value == null) {
      throw unresolved(reference, source, position, missingBase(reference));
    }
    for (String segment : reference.path()) {
      JsonNode next = step(value, segment);
      if (next == null) {
        throw unresolved(reference, source, position, missingStep(value, segment));
      }
      value = next;
    }
    return value;
  }

  private static JsonNode base(Reference reference, Bindings bindings) {
    return switch (reference.kind()) {
      case PARAM -> bindings.param(reference.name());
      case TASK_OUTPUT -> bindings.taskOutput(reference.taskId(), reference.name());
      case ITEM -> bindings.item();
    };
  }

  private static JsonNode step(JsonNode value, String segment) {
    if (value.isObject()) {
      return value.get(segment);
    }
    if (value.isArray() && isIndex(segment)) {
      return value.get(Integer.parseInt(segment));
    }
    return null;
  }

  private static boolean isIndex(String segment) {
    return segment.length() <= MAX_INDEX_DIGITS && segment.chars().allMatch(Character::isDigit);
  }

  private static String missingBase(Reference reference) {
    return switch (reference.kind()) {
      case PARAM -> "there is no param '" + reference.name() + "'";
      case TASK_OUTPUT ->
          "task '" + reference.taskId() + "' has no output '" + reference.name() + "'";
      case ITEM -> "there is no item (${item} is only defined inside a forEach)";
    };
  }

  private static String missingStep(JsonNode value, String segment) {
    if (value.isObject()) {
      return "the object has no field '" + segment + "'";
    }
    if (value.isArray()) {
      return isIndex(segment)
          ? "index " + segment + " is out of bounds for an array of " + value.size() + " elements"
          : "'" + segment + "' is not an array index";
    }
    return "cannot select '" + segment + "' in " + JsonValues.describe(value);
  }

  private static ExpressionException unresolved(
      Reference reference, String source, int position, String detail) {
    return new ExpressionException(
        "Unresolved reference " + reference + Messages.at(source, position) + ": " + detail,
        source,
        position);
  }
}

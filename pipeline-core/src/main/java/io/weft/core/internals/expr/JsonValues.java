package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Locale;

/** JSON type names, rendering and comparison as the expression language defines them. */
final class JsonValues {

  private static final int MAX_RENDERED = 80;

  /** Orders numbers numerically; any other two nodes are 0 when equal and 1 otherwise. */
  private static final Comparator<JsonNode> SCALARS =
      (a, b) -> a.isNumber() && b.isNumber() ? compareNumbers(a, b) : a.equals(b) ? 0 : 1;

  private JsonValues() {}

  /** The JSON type of a value: number, string, boolean, null, array or object. */
  static String typeName(JsonNode value) {
    return value.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** The value's JSON text, shortened when long, for use in messages. */
  static String render(JsonNode value) {
    String text = value.toString();
    return text.length() <= MAX_RENDERED ? text : text.substring(0, MAX_RENDERED - 3) + "...";
  }

  /** The type and value, such as {@code number 0.93} or {@code string "high"}. */
  static String describe(JsonNode value) {
    return typeName(value) + " " + render(value);
  }

  /** Equality without coercion, except that numbers (also nested ones) compare numerically. */
  static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return compareNumbers(a, b) == 0;
    }
    return a.getNodeType() == b.getNodeType() && a.equals(SCALARS, b);
  }

  /** Compares two numeric nodes by value, whatever their representation. */
  static int compareNumbers(JsonNode a, JsonNode b) {
    if (isNonFinite(a) || isNonFinite(b)) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return a.decimalValue().compareTo(b.decimalValue());
  }

  private static boolean isNonFinite(JsonNode number) {
    return number.isFloatingPointNumber() && !Double.isFinite(number.doubleValue());
  }
}

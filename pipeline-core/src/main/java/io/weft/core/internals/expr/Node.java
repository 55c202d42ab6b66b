package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;

/** A node of a parsed expression; {@code source} is the whole expression, for messages. */
sealed interface Node {

  JsonNode evaluate(Bindings bindings, String source);

  /** A number, string, boolean or null written in the expression. */
  record Literal(JsonNode value) implements Node {
    @Override
    public JsonNode evaluate(Bindings bindings, String source) {
      return value;
    }
  }

  /** A {@code ${...}} reference starting at {@code position}. */
  record Ref(Reference reference, int position) implements Node {
    @Override
    public JsonNode evaluate(Bindings bindings, String source) {
      return ReferenceResolver.resolve(reference, bindings, source, position);
    }
  }

  /** {@code !operand}, the {@code !} being at {@code position}. */
  record Not(Node operand, int position) implements Node {
    @Override
    public JsonNode evaluate(Bindings bindings, String source) {
      boolean value = requireBoolean(operand, bindings, source, "after '!'", position);
      return BooleanNode.valueOf(!value);
    }
  }

  /** {@code left && right} or {@code left || right}; the right side is evaluated only if needed. */
  record Logical(boolean and, Node left, Node right, int position) implements Node {
    @Override
    public JsonNode evaluate(Bindings bindings, String source) {
      String op = and ? "'&&'" : "'||'";
      boolean value = requireBoolean(left, bindings, source, "on the left of " + op, position);
      if (value != and) {
        return BooleanNode.valueOf(value);
      }
      return BooleanNode.valueOf(
          requireBoolean(right, bindings, source, "on the right of " + op, position));
    }
  }

  /** {@code left <op> right} for one of the six comparison operators. */
  record Compare(Token.Type op, String symbol, Node left, Node right, int position)
      implements Node {
    @Override
    public JsonNode evaluate(Bindings bindings, String source) {
      JsonNode a = left.evaluate(bindings, source);
      JsonNode b = right.evaluate(bindings, source);
      return BooleanNode.valueOf(
          switch (op) {
            case EQ -> JsonValues.equal(a, b);
            case NE -> !JsonValues.equal(a, b);
            case LT -> order(a, b, source) < 0;
            case LE -> order(a, b, source) <= 0;
            case GT -> order(a, b, source) > 0;
            case GE -> order(a, b, source) >= 0;
            default -> throw new IllegalStateException("Not a comparison: " + op);
          });
    }

    private int order(JsonNode a, JsonNode b, String source) {
      if (a.isNumber() && b.isNumber()) {
        return JsonValues.compareNumbers(a, b);
      }
      if (a.isTextual() && b.isTextual()) {
        return a.textValue().compareTo(b.textValue());
      }
      throw new ExpressionException(
          "Cannot compare "
              + JsonValues.describe(a)
              + " with "
              + JsonValues.describe(b)
              + " using '"
              + symbol
              + "'"
              + Messages.at(source, position)
              + ": '<', '<=', '>' and '>=' need two numbers or two strings",
          source,
          position);
    }
  }

  private static boolean requireBoolean(
      Node node, Bindings bindings, String source, String where, int position) {
    JsonNode value = node.evaluate(bindings, source);
    if (!value.isBoolean()) {
      throw new ExpressionException(
          "Expected a boolean "
              + where
              + Messages.at(source, position)
              + " but found "
              + JsonValues.describe(value),
          source,
          position);
    }
    return value.booleanValue();
  }
}

package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A token of the expression language.
 *
 * @param type what kind of token
 * @param text the token as written
 * @param position where it starts in the source
 * @param value the value of a literal, else null
 * @param reference the reference of a {@link Type#REFERENCE}, else null
 */
record Token(Type type, String text, int position, JsonNode value, Reference reference) {

  enum Type {
    LITERAL,
    REFERENCE,
    LEFT_PAREN,
    RIGHT_PAREN,
    NOT,
    AND,
    OR,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    END;

    boolean isComparison() {
      return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal();
    }
  }

  static Token of(Type type, String text, int position) {
    return new Token(type, text, position, null, null);
  }

  /** The token for messages: {@code '>='}, or {@code the end of the expression}. */
  String describe() {
    return type == Type.END ? "the end of the expression" : "'" + text + "'";
  }
}

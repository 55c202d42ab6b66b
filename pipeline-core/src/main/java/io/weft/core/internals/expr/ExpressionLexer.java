package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.weft.core.internals.expr.Token.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/** Splits an expression into tokens on demand, so that errors are reported in text order. */
final class ExpressionLexer {

  private static final Map<String, JsonNode> KEYWORDS =
      Map.of("true", BooleanNode.TRUE, "false", BooleanNode.FALSE, "null", NullNode.instance);

  private static final Map<String, Type> OPERATORS =
      Map.of(
          "||", Type.OR, "&&", Type.AND, "==", Type.EQ, "!=", Type.NE, "<=", Type.LE, ">=",
          Type.GE);

  private final String source;
  private int pos;
  private Token peeked;

  ExpressionLexer(String source) {
    this.source = source;
  }

  /** The next token, without consuming it. */
  Token peek() {
    if (peeked == null) {
      peeked = scan();
    }
    return peeked;
  }

  /** Consumes and returns the next token. */
  Token next() {
    Token token = peek();
    peeked = null;
    return token;
  }

  private Token scan() {
    while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
      pos++;
    }
    if (pos >= source.length()) {
      return Token.of(Type.END, "", pos);
    }
    int start = pos;
    char c = source.charAt(pos);
    if (source.startsWith("${", pos)) {
      return reference(start);
    }
    if (c == '"' || c == '\'') {
      return string(start, c);
    }
    if (c == '-' || isDigit(c)) {
      return number(start);
    }
    if (Character.isLetter(c) || c == '_') {
      return keyword(start);
    }
    return operator(start, c);
  }

  private Token reference(int start) {
    pos = Template.closingBrace(source, start) + 1;
    String raw = source.substring(start, pos);
    return new Token(Type.REFERENCE, raw, start, null, Reference.parseBody(raw, source, start));
  }

  private Token string(int start, char quote) {
    StringBuilder value = new StringBuilder();
    pos++;
    while (pos < source.length() && source.charAt(pos) != quote) {
      char c = source.charAt(pos++);
      value.append(c == '\\' ? escape() : c);
    }
    if (pos >= source.length()) {
      throw error("Unclosed string starting" + Messages.at(source, start), start);
    }
    pos++;
    return literal(start, TextNode.valueOf(value.toString()));
  }

  private char escape() {
    if (pos >= source.length()) {
      throw error("Unfinished escape" + Messages.at(source, pos - 1), pos - 1);
    }
    char c = source.charAt(pos++);
    return switch (c) {
      case '\'', '"', '\\' -> c;
      case 'n' -> '\n';
      case 't' -> '\t';
      default ->
          throw error(
              "Unknown escape '\\"
                  + c
                  + "'"
                  + Messages.at(source, pos - 2)
                  + ": use \\' \\\" \\\\ \\n or \\t",
              pos - 2);
    };
  }

  private Token number(int start) {
    if (source.charAt(pos) == '-') {
      pos++;
    }
    boolean integral = true;
    digits(start);
    if (pos < source.length() && source.charAt(pos) == '.') {
      pos++;
      digits(start);
      integral = false;
    }
    if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
      pos++;
      if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
        pos++;
      }
      digits(start);
      integral = false;
    }
    String text = source.substring(start, pos);
    try {
      return literal(start, integral ? integer(text) : DecimalNode.valueOf(new BigDecimal(text)));
    } catch (NumberFormatException e) { // an exponent beyond an int
      throw error(
          "Number '"
              + (text.length() <= 40 ? text : text.substring(0, 37) + "...")
              + "'"
              + Messages.at(source, start)
              + " is out of range",
          start);
    }
  }

  /** Consumes one or more digits. */
  private void digits(int numberStart) {
    int from = pos;
    while (pos < source.length() && isDigit(source.charAt(pos))) {
      pos++;
    }
    if (pos == from) {
      String found = pos < source.length() ? "'" + source.charAt(pos) + "'" : "the end";
      throw error(
          "Malformed number '"
              + source.substring(numberStart, pos)
              + "'"
              + Messages.at(source, numberStart)
              + ": expected a digit but found "
              + found,
          numberStart);
    }
  }

  private static JsonNode integer(String text) {
    BigInteger value = new BigInteger(text);
    return value.bitLength() < Long.SIZE
        ? JsonNodeFactory.instance.numberNode(value.longValue())
        : JsonNodeFactory.instance.numberNode(value);
  }

  private Token keyword(int start) {
    while (pos < source.length()
        && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
      pos++;
    }
    String word = source.substring(start, pos);
    JsonNode value = KEYWORDS.get(word);
    if (value == null) {
      throw error(
          "Unexpected '"
              + word
              + "'"
              + Messages.at(source, start)
              + ": expected a number, a quoted string, true, false, null or a reference ${...}",
          start);
    }
    return literal(start, value);
  }

  private Token operator(int start, char c) {
    String two = source.substring(start, Math.min(start + 2, source.length()));
    Type type = OPERATORS.get(two);
    if (type != null) {
      pos += 2;
      return Token.of(type, two, start);
    }
    pos++;
    return switch (c) {
      case '(' -> Token.of(Type.LEFT_PAREN, "(", start);
      case ')' -> Token.of(Type.RIGHT_PAREN, ")", start);
      case '!' -> Token.of(Type.NOT, "!", start);
      case '<' -> Token.of(Type.LT, "<", start);
      case '>' -> Token.of(Type.GT, ">", start);
      default -> throw unexpectedCharacter(start, c);
    };
  }

  private ExpressionException unexpectedCharacter(int start, char c) {
    String hint =
        switch (c) {
          case '=' -> "; use '==' to compare";
          case '&' -> "; use '&&'";
          case '|' -> "; use '||'";
          default -> "";
        };
    return error("Unexpected character '" + c + "'" + Messages.at(source, start) + hint, start);
  }

  private Token literal(int start, JsonNode value) {
    return new Token(Type.LITERAL, source.substring(start, pos), start, value, null);
  }

  private ExpressionException error(String message, int position) {
    return new ExpressionException(message, source, position);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}

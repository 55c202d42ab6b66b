package io.weft.core.internals.expr;

import io.weft.core.internals.expr.Token.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for the grammar in {@code package-info.java}. An expression holds at
 * most {@value #MAX_OPERATORS} operators and parentheses, which bounds both the parser's recursion
 * and the depth of the tree that evaluation walks, so no text can exhaust the stack.
 */
final class ExpressionParser {

  static final int MAX_OPERATORS = 256;

  private final String source;
  private final ExpressionLexer lexer;
  private final List<Reference> references = new ArrayList<>();
  private int operators;

  ExpressionParser(String source) {
    this.source = source;
    this.lexer = new ExpressionLexer(source);
  }

  /** Parses the whole source. */
  Node parse() {
    if (lexer.peek().type() == Type.END) {
      throw new ExpressionException(
          "Empty expression"
              + Messages.at(source, 0)
              + ": expected a value, a reference or a condition such as ${params.x} > 1",
          source,
          0);
    }
    Node root = or();
    Token trailing = lexer.peek();
    if (trailing.type() != Type.END) {
      throw error(
          "Unexpected "
              + trailing.describe()
              + Messages.at(source, trailing.position())
              + ": expected an operator or the end of the expression",
          trailing);
    }
    return root;
  }

  /** The references in the order they appear; complete after {@link #parse()}. */
  List<Reference> references() {
    return List.copyOf(references);
  }

  private Node or() {
    Node left = and();
    while (lexer.peek().type() == Type.OR) {
      Token op = operator();
      left = new Node.Logical(false, left, and(), op.position());
    }
    return left;
  }

  private Node and() {
    Node left = not();
    while (lexer.peek().type() == Type.AND) {
      Token op = operator();
      left = new Node.Logical(true, left, not(), op.position());
    }
    return left;
  }

  private Node not() {
    if (lexer.peek().type() == Type.NOT) {
      Token op = operator();
      return new Node.Not(not(), op.position());
    }
    return comparison();
  }

  private Node comparison() {
    Node left = primary();
    if (!lexer.peek().type().isComparison()) {
      return left;
    }
    Token op = operator();
    Node compare = new Node.Compare(op.type(), op.text(), left, primary(), op.position());
    Token chained = lexer.peek();
    if (chained.type().isComparison()) {
      throw error(
          "Comparisons cannot be chained: unexpected "
              + chained.describe()
              + Messages.at(source, chained.position())
              + "; combine them with '&&', e.g. a < b && b < c",
          chained);
    }
    return compare;
  }

  private Node primary() {
    Token token = lexer.next();
    return switch (token.type()) {
      case LITERAL -> new Node.Literal(token.value());
      case REFERENCE -> {
        references.add(token.reference());
        yield new Node.Ref(token.reference(), token.position());
      }
      case LEFT_PAREN -> parenthesized(count(token));
      default -> throw expectedOperand(token);
    };
  }

  private Node parenthesized(Token open) {
    Node inner = or();
    Token close = lexer.next();
    if (close.type() != Type.RIGHT_PAREN) {
      throw error(
          "Expected ')'"
              + Messages.at(source, close.position())
              + " but found "
              + close.describe()
              + " (to close the '(' at position "
              + open.position()
              + ")",
          close);
    }
    return inner;
  }

  /** Consumes an operator, counting it. */
  private Token operator() {
    return count(lexer.next());
  }

  private Token count(Token token) {
    if (++operators > MAX_OPERATORS) {
      throw error(
          "Expression too complex"
              + Messages.at(source, token.position())
              + ": more than "
              + MAX_OPERATORS
              + " operators and parentheses",
          token);
    }
    return token;
  }

  private ExpressionException expectedOperand(Token found) {
    String hint =
        found.type() == Type.NOT ? "; put a negated operand in parentheses, e.g. a == (!b)" : "";
    return error(
        "Expected an operand"
            + Messages.at(source, found.position())
            + " but found "
            + found.describe()
            + hint,
        found);
  }

  private ExpressionException error(String message, Token token) {
    return new ExpressionException(message, source, token.position());
  }
}

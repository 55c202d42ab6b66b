package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code when} condition or {@code forEach} source, such as {@code
 * ${tasks.pick.outputs.accuracy} >= 0.9 && ${params.deploy}}. See the {@linkplain
 * io.weft.core.internals.expr package documentation} for the language.
 */
public final class Expression {

  private final String source;
  private final Node root;
  private final List<Reference> references;

  private Expression(String source, Node root, List<Reference> references) {
    this.source = source;
    this.root = root;
    this.references = references;
  }

  /**
   * Parses an expression.
   *
   * @throws ExpressionException naming the position of the first syntax error
   */
  public static Expression parse(String text) {
    Objects.requireNonNull(text, "text");
    ExpressionParser parser = new ExpressionParser(text);
    Node root = parser.parse();
    return new Expression(text, root, parser.references());
  }

  /** The text as given to {@link #parse(String)}. */
  public String source() {
    return source;
  }

  /**
   * Every reference in the expression in order of appearance, including those that evaluation may
   * skip by short-circuiting.
   */
  public List<Reference> references() {
    return references;
  }

  /**
   * Evaluates the expression; a lone reference evaluates to the referenced value.
   *
   * @throws ExpressionException if a reference that is needed is unresolved, or on a type error
   */
  public JsonNode evaluate(Bindings bindings) {
    Objects.requireNonNull(bindings, "bindings");
    return root.evaluate(bindings, source);
  }

  /**
   * Evaluates the expression as a condition.
   *
   * @throws ExpressionException if the result is not a boolean, or as {@link #evaluate(Bindings)}
   */
  public boolean test(Bindings bindings) {
    JsonNode result = evaluate(bindings);
    if (!result.isBoolean()) {
      throw new ExpressionException(
          "Condition '"
              + source
              + "' evaluated to "
              + JsonValues.render(result)
              + ", not a boolean",
          source,
          -1);
    }
    return result.booleanValue();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Expression expression && expression.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}

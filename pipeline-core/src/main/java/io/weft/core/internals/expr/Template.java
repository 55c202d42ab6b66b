package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A text that may contain {@code ${...}} references, such as a task param {@code
 * "s3://bucket/${params.dataset}/train.csv"}.
 *
 * <p>A text that is exactly one reference resolves to the referenced JSON value as it is, so {@code
 * "${params.epochs}"} gives a number and {@code "${params.grid}"} an array. Any other text resolves
 * to a string in which each reference is replaced by its value: a string as it is, anything else as
 * its JSON text. <code>$${</code> is a literal <code>${</code>.
 */
public final class Template {

  private sealed interface Part {}

  private record Literal(String text) implements Part {}

  private record Ref(Reference reference, int position) implements Part {}

  private final String source;
  private final List<Part> parts;
  private final List<Reference> references;

  private Template(String source, List<Part> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
    this.references =
        parts.stream().filter(Ref.class::isInstance).map(p -> ((Ref) p).reference()).toList();
  }

  /**
   * Parses a text.
   *
   * @throws ExpressionException if a <code>${</code> is not closed or a reference is malformed
   */
  public static Template parse(String text) {
    Objects.requireNonNull(text, "text");
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        literal.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        flush(literal, parts);
        int end = closingBrace(text, i);
        parts.add(new Ref(Reference.parseBody(text.substring(i, end + 1), text, i), i));
        i = end + 1;
      } else {
        literal.append(text.charAt(i++));
      }
    }
    flush(literal, parts);
    return new Template(text, parts);
  }

  /**
   * Resolves every string in a JSON tree as a template; objects and arrays are walked, other values
   * are kept. Returns a new tree and leaves {@code value} as it is.
   *
   * @throws ExpressionException if a string is not a valid template or a reference is unresolved
   */
  public static JsonNode resolveJson(JsonNode value, Bindings bindings) {
    Objects.requireNonNull(value, "value");
    if (value.isTextual()) {
      return parse(value.textValue()).resolve(bindings);
    }
    if (value.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        copy.set(field.getKey(), resolveJson(field.getValue(), bindings));
      }
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(value.size());
      value.forEach(element -> copy.add(resolveJson(element, bindings)));
      return copy;
    }
    return value;
  }

  /**
   * Every reference in every string of a JSON tree, in document order; field names are not
   * templates.
   *
   * @throws ExpressionException if a string is not a valid template
   */
  public static List<Reference> referencesIn(JsonNode value) {
    Objects.requireNonNull(value, "value");
    List<Reference> found = new ArrayList<>();
    collect(value, found);
    return List.copyOf(found);
  }

  /** The text as given to {@link #parse(String)}. */
  public String source() {
    return source;
  }

  /** The references in the text, in order of appearance. */
  public List<Reference> references() {
    return references;
  }

  /** Whether the text is exactly one reference, and so resolves to a value of any JSON type. */
  public boolean isSingleReference() {
    return parts.size() == 1 && parts.get(0) instanceof Ref;
  }

  /**
   * The referenced value when the text is exactly one reference, else the interpolated string.
   *
   * @throws ExpressionException naming the reference if one cannot be resolved
   */
  public JsonNode resolve(Bindings bindings) {
    if (isSingleReference()) {
      return resolve((Ref) parts.get(0), bindings);
    }
    StringBuilder text = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        text.append(literal.text());
      } else {
        JsonNode value = resolve((Ref) part, bindings);
        text.append(value.isTextual() ? value.textValue() : value.toString());
      }
    }
    return TextNode.valueOf(text.toString());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Template template && template.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }

  private JsonNode resolve(Ref ref, Bindings bindings) {
    return ReferenceResolver.resolve(ref.reference(), bindings, source, ref.position());
  }

  private static void collect(JsonNode value, List<Reference> found) {
    if (value.isTextual()) {
      found.addAll(parse(value.textValue()).references());
    } else if (value.isContainerNode()) {
      value.forEach(child -> collect(child, found));
    }
  }

  /** The index of the <code>}</code> that closes the <code>${</code> at {@code start}. */
  static int closingBrace(String text, int start) {
    int end = text.indexOf('}', start + 2);
    if (end < 0) {
      throw new ExpressionException("Unclosed '${'" + Messages.at(text, start), text, start);
    }
    return end;
  }

  private static void flush(StringBuilder literal, List<Part> parts) {
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
      literal.setLength(0);
    }
  }
}

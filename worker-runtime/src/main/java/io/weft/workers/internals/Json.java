package io.weft.workers.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The worker's one Jackson mapper (thread-safe) and the conversions it needs. */
public final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /**
   * Parses one JSON text.
   *
   * @throws IllegalArgumentException if it is not exactly one JSON value
   */
  public static JsonNode parse(String text) {
    try {
      JsonNode node = text == null ? null : MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("empty text, not a JSON value");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  /** A plain Java value as a JSON tree; {@link IllegalArgumentException} if Jackson cannot. */
  public static JsonNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** A JSON tree converted to a Java type; {@link IllegalArgumentException} if it does not fit. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  /** The compact JSON text of a tree. */
  public static String write(JsonNode node) {
    return node.toString();
  }
}

package io.weft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Run parameters given as {@code key=value}: JSON when the value parses as JSON, else a string. */
final class Params {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Params() {}

  static Map<String, JsonNode> parse(List<String> pairs) {
    Map<String, JsonNode> params = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CliException(
            Weft.INVALID, "parameter '" + pair + "' is not of the form key=value");
      }
      params.put(pair.substring(0, eq), value(pair.substring(eq + 1)));
    }
    return params;
  }

  static JsonNode value(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(text);
    }
  }
}

package io.weft.core.internals.query;

import io.weft.schemas.internal.RunStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The query API's parameters and paths, read strictly: a malformed one is a {@link BadRequest}. */
final class QueryParameters {

  private QueryParameters() {}

  /** The parameters of a raw query string, percent-decoded. */
  static Map<String, String> parse(String query) {
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return params;
  }

  /** {@code text} percent-decoded; a malformed escape is the client's error. */
  static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("malformed percent-encoding in '" + text + "': " + e.getMessage());
    }
  }

  /** The status filter of {@code /runs}: null for any, else one of the run statuses. */
  static String status(String text) {
    if (text == null) {
      return null;
    }
    for (RunStatus status : RunStatus.values()) {
      if (status.name().equals(text)) {
        return text;
      }
    }
    throw new BadRequest(
        "status '" + text + "' is not one of " + java.util.Arrays.toString(RunStatus.values()));
  }

  /** The {@code limit} of {@code /runs}: 1 to {@code max}. */
  static int limit(String text, int max) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequest("limit '" + text + "' is not a whole number from 1 to " + max);
  }

  /** A request the client got wrong: answered 400 with its message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}

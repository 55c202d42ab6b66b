package io.weft.serving.internals;

import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;

/**
 * Limits on what comes before a request's body, its target and its headers, checked before anything
 * else is done with the request: over them it is refused with 414 or 431 and a JSON error.
 *
 * <p>The JDK's HTTP server has limits of its own, higher, that it enforces while it reads the head:
 * past {@value #JDK_MAX_HEADERS} header lines (which {@code InferenceServer} sets as {@code
 * sun.net.httpserver.maxReqHeaders} unless set otherwise) or 380 KiB of head ({@code
 * sun.net.httpserver.maxReqHeaderSize}) it closes the connection without an answer. It also answers
 * a request whose target is not a path ({@code *}, {@code host:port}) itself, with a 404 in HTML.
 */
public final class HeadLimits {

  /** Longest request target, path and query, in characters as sent (URL-encoded). */
  public static final int MAX_TARGET_LENGTH = 8 * 1024;

  /** Most header lines; a name sent twice counts twice. */
  public static final int MAX_HEADERS = 100;

  /** Most characters of header names and values, all headers together. */
  public static final int MAX_HEADER_BYTES = 64 * 1024;

  /** The JDK server's own limit on header lines, over which it drops the connection. */
  public static final int JDK_MAX_HEADERS = 10 * MAX_HEADERS;

  private HeadLimits() {}

  /**
   * @throws HttpProblem (414, 431) naming the limit {@code exchange}'s request is over
   */
  static void check(HttpExchange exchange) {
    int target = exchange.getRequestURI().toString().length();
    if (target > MAX_TARGET_LENGTH) {
      throw new HttpProblem(
          Refusal.URI_TOO_LONG,
          "request target of "
              + target
              + " characters is over the "
              + MAX_TARGET_LENGTH
              + " this server accepts");
    }
    int lines = 0;
    long bytes = 0;
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      for (String value : header.getValue()) {
        lines++;
        bytes += header.getKey().length() + (value == null ? 0 : value.length());
      }
    }
    if (lines > MAX_HEADERS) {
      throw new HttpProblem(
          Refusal.TOO_MANY_HEADERS,
          "request has "
              + lines
              + " header lines, more than the "
              + MAX_HEADERS
              + " this server accepts");
    }
    if (bytes > MAX_HEADER_BYTES) {
      throw new HttpProblem(
          Refusal.HEADERS_TOO_LARGE,
          "request headers of "
              + bytes
              + " characters are over the "
              + MAX_HEADER_BYTES
              + " this server accepts");
    }
  }
}

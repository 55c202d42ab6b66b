package io.weft.core.internals.query;

import static io.weft.core.metrics.WeftMeters.HTTP_REFUSED;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the query API and the web UI refuse before any handler reads a request: more than {@value
 * #MAX_HEADERS} header values (431), a body declared over {@value #MAX_BODY_BYTES} bytes (413) or a
 * URI longer than {@value #MAX_URI_CHARS} characters (414), each with a JSON error body. Every
 * refusal, these and the handlers' bad requests ({@link #refused}), is counted by reason in {@code
 * weft.http.refused} once a registry is bound.
 */
public final class RequestLimits extends Filter {

  /** The most header values a request may carry. */
  public static final int MAX_HEADERS = 100;

  /**
   * The largest body a request may declare ({@code Content-Length}); the UI's actions take far less
   * (their own limit answers 413 too).
   */
  public static final int MAX_BODY_BYTES = 1 << 20;

  /** The longest request URI (path and query), in characters. */
  public static final int MAX_URI_CHARS = 8192;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

  /** Exports the counts to {@code registry}; counted before that too. */
  public void bind(MeterRegistry registry) {
    for (String reason :
        List.of(
            "too_many_headers",
            "body_too_large",
            "uri_too_long",
            "bad_request",
            "unauthenticated",
            "forbidden")) {
      LongAdder count = count(reason);
      io.micrometer.core.instrument.FunctionCounter.builder(
              HTTP_REFUSED.name(), count, LongAdder::doubleValue)
          .description(HTTP_REFUSED.description())
          .tag("reason", reason)
          .register(registry);
    }
  }

  /**
   * Counts a request refused for {@code reason}: too_many_headers, body_too_large, uri_too_long,
   * bad_request, or (by the bearer tokens) unauthenticated or forbidden.
   */
  public void refused(String reason) {
    count(reason).increment();
  }

  /** How many requests were refused for {@code reason}. */
  public long refusals(String reason) {
    return count(reason).sum();
  }

  private LongAdder count(String reason) {
    return refusals.computeIfAbsent(reason, r -> new LongAdder());
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    int headers = exchange.getRequestHeaders().values().stream().mapToInt(List::size).sum();
    int uriChars = exchange.getRequestURI().toString().length();
    long declared = declaredLength(exchange);
    if (declared > MAX_BODY_BYTES) { // not read: the connection may be cut while it is sent
      refuse(
          exchange,
          413,
          "body_too_large",
          "the request body has " + declared + " bytes, over the limit of " + MAX_BODY_BYTES);
      return;
    }
    // the whole body is read before any answer, so that an answer sent before a handler read it
    // (a 400, a 404, a refusal below) is not lost to a connection reset while the client sends
    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) { // sent without a length
      refuse(
          exchange,
          413,
          "body_too_large",
          "the request body is over the limit of " + MAX_BODY_BYTES + " bytes");
    } else if (headers > MAX_HEADERS) {
      refuse(
          exchange,
          431,
          "too_many_headers",
          "the request has " + headers + " header values, over the limit of " + MAX_HEADERS);
    } else if (uriChars > MAX_URI_CHARS) {
      refuse(
          exchange,
          414,
          "uri_too_long",
          "the request URI has " + uriChars + " characters, over the limit of " + MAX_URI_CHARS);
    } else {
      exchange.setStreams(new ByteArrayInputStream(body), null);
      chain.doFilter(exchange);
    }
  }

  private static long declaredLength(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    try {
      return length == null ? 0 : Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return 0; // the server itself refuses a malformed length
    }
  }

  private void refuse(HttpExchange exchange, int status, String reason, String message)
      throws IOException {
    refused(reason);
    try (exchange) {
      byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public String description() {
    return "Weft's request limits";
  }
}

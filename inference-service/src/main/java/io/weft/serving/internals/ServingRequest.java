package io.weft.serving.internals;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HTTP request as {@link InferenceHandler} answers it, whatever server read it: its method, its
 * target as sent, its headers (names in any case, each with its values in order) and either its
 * body or the refusal of a body over {@code serve.max.request.bytes}, which the server did not
 * read.
 */
public final class ServingRequest {

  private final String method;
  private final String target;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final HttpProblem bodyRefusal;

  private ServingRequest(
      String method,
      String target,
      Map<String, List<String>> headers,
      byte[] body,
      HttpProblem bodyRefusal) {
    this.method = Objects.requireNonNull(method, "method");
    this.target = Objects.requireNonNull(target, "target");
    this.headers = headers;
    this.body = body;
    this.bodyRefusal = bodyRefusal;
  }

  /**
   * A request with its whole body.
   *
   * @param headers each header line as it came (name, value), a name sent twice twice
   * @param body the body, taken as it is, not copied
   */
  public static ServingRequest of(
      String method, String target, Iterable<Map.Entry<String, String>> headers, byte[] body) {
    return new ServingRequest(method, target, index(headers), body, null);
  }

  /**
   * A request whose body was refused unread, as {@link BoundedBody} refuses it: {@link #body()}
   * throws {@code refusal}.
   */
  public static ServingRequest bodyRefused(
      String method,
      String target,
      Iterable<Map.Entry<String, String>> headers,
      HttpProblem refusal) {
    return new ServingRequest(
        method, target, index(headers), null, Objects.requireNonNull(refusal, "refusal"));
  }

  private static Map<String, List<String>> index(Iterable<Map.Entry<String, String>> lines) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> line : lines) {
      headers.computeIfAbsent(line.getKey(), name -> new ArrayList<>()).add(line.getValue());
    }
    headers.replaceAll((name, values) -> Collections.unmodifiableList(values));
    return Collections.unmodifiableMap(headers);
  }

  public String method() {
    return method;
  }

  /** The request target as sent: path and query, still URL-encoded. */
  public String target() {
    return target;
  }

  /**
   * The target's path, still URL-encoded; empty if it has none ({@code *}, {@code host:port}).
   *
   * @throws HttpProblem (400) if the target is not a URI
   */
  public String rawPath() {
    try {
      return Objects.requireNonNullElse(new URI(target).getRawPath(), "");
    } catch (URISyntaxException e) {
      throw HttpProblem.badRequest("request target is not a URI: " + e.getReason());
    }
  }

  /** Every header, by name in any case, each with its values in the order sent. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The values of header {@code name} (in any case), in the order sent; empty if none. */
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** The first value of header {@code name} (in any case), or null if none. */
  public String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * The body.
   *
   * @throws HttpProblem (413) if it was over {@code serve.max.request.bytes} and left unread
   */
  public byte[] body() {
    if (bodyRefusal != null) {
      throw bodyRefusal;
    }
    return body;
  }

  /** Whether the body was refused unread: its answer closes the connection. */
  public boolean isBodyRefused() {
    return bodyRefusal != null;
  }
}

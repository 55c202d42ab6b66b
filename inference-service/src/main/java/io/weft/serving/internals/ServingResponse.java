package io.weft.serving.internals;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link InferenceHandler} answers a {@link ServingRequest} with, for the server to write: the
 * status, the headers (the server adds {@code Content-Length} and {@code Connection}), the body
 * (its JSON, or a Prometheus scrape) and a binary tail after it (the outputs of the binary tensor
 * extension; empty if none).
 */
public record ServingResponse(int status, Map<String, String> headers, byte[] body, byte[] tail) {

  private static final byte[] NONE = new byte[0];

  public ServingResponse {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(body, "body");
    tail = tail == null ? NONE : tail;
  }

  /** The length of the body and the tail together. */
  public long contentLength() {
    return (long) body.length + tail.length;
  }
}

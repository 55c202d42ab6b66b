package io.weft.serving;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Requests for {@link InferenceFuzzTest}, all drawn from one {@link Random}, so a seed gives the
 * same requests every time: bodies from {@link FuzzBodies} (random bytes, random JSON, mutations of
 * a valid v2 infer request), random paths under {@code /v2} with random methods, and random numbers
 * of headers.
 *
 * <p>Only what a client can put on the wire through {@link java.net.http.HttpClient} is drawn:
 * well-formed URIs, header names that are tokens, at most {@value #HEADER_BUDGET} bytes of headers
 * (under the 384 KiB the server reads of a head, past which it answers 431 and closes the
 * connection).
 */
final class FuzzRequests {

  /** A valid infer request for a model of 4 inputs. */
  static final String VALID =
      "{\"id\":\"fuzz\",\"inputs\":[{\"name\":\"input-0\",\"shape\":[2,4],"
          + "\"datatype\":\"FP32\",\"data\":[[1,2,3,4],[5,6,7,8]]}]}";

  static final String INFER = "/v2/models/mnist/infer";
  static final int HEADER_BUDGET = 200 * 1024;

  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] SEGMENTS = {
    "v2",
    "models",
    "mnist",
    "fashion",
    "versions",
    "1",
    "2",
    "0",
    "-1",
    "2147483648",
    "infer",
    "ready",
    "health",
    "live",
    "metadata",
    "explain",
    ""
  };
  private static final String[] PATHS = {
    "/",
    "/metrics",
    "/v1/models/mnist/infer",
    "/v2//models/mnist",
    "/v2/models/mnist/infer/",
    "/v2/models/mnist/versions//infer",
    "/v2/health/ready?verbose=1",
    "/V2/models/mnist/infer",
    "/v2/models/mnist%2Finfer",
    "/v2/models/%00/infer",
    "/v2/models/mnist/versions/%31/infer",
    "/v2/models/%E2%82%AC%FF/ready"
  };
  private static final String UNRESERVED =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

  private final Random random;
  private final FuzzBodies bodies;

  /**
   * @param maxBody the server's body limit, so that bodies are drawn both under and over it
   */
  FuzzRequests(Random random, int maxBody) {
    this.random = random;
    this.bodies = new FuzzBodies(random, maxBody);
  }

  /** A header. */
  record Header(String name, String value) {}

  /** One request, described by what was drawn for the report of a failing case. */
  record Case(String kind, String method, String path, List<Header> headers, byte[] body) {

    HttpRequest.Builder build(HttpRequest.Builder request) {
      headers.forEach(h -> request.header(h.name(), h.value()));
      return request.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
    }

    @Override
    public String toString() {
      String text = body == null ? "none" : new String(body, StandardCharsets.UTF_8);
      return kind
          + ": "
          + method
          + " "
          + abbreviate(path)
          + ", "
          + headers.size()
          + " headers, body "
          + (body == null ? "none" : body.length + " bytes " + abbreviate(text));
    }
  }

  /** The next request. */
  Case next() {
    String path = random.nextInt(10) == 0 ? "/v2/models/mnist/versions/1/infer" : INFER;
    String method = random.nextInt(10) == 0 ? pick(METHODS) : "POST";
    List<Header> headers =
        random.nextInt(10) == 0
            ? headers()
            : List.of(new Header("Content-Type", "application/json"));
    return switch (random.nextInt(10)) {
      case 0, 1 -> new Case("random bytes", method, path, headers, bodies.randomBytes());
      case 2, 3 -> new Case("random JSON", method, path, headers, bodies.randomJson());
      case 4, 5 -> new Case("mutated bytes", method, path, headers, bodies.mutatedBytes(VALID));
      case 6, 7 -> new Case("mutated request", method, path, headers, bodies.mutatedRequest(VALID));
      case 8 ->
          new Case(
              "random path",
              pick(METHODS),
              randomPath(),
              headers,
              random.nextBoolean() ? null : FuzzBodies.utf8(VALID));
      default -> new Case("many headers", "POST", path, headers(), FuzzBodies.utf8(VALID));
    };
  }

  private String randomPath() {
    if (random.nextInt(4) == 0) {
      return pick(PATHS);
    }
    StringBuilder path = new StringBuilder("/v2");
    for (int i = random.nextInt(7); i > 0; i--) {
      path.append('/').append(random.nextInt(10) < 7 ? pick(SEGMENTS) : randomSegment());
    }
    if (random.nextInt(5) == 0) {
      path.append('/');
    }
    if (random.nextInt(5) == 0) {
      path.append('?').append(randomSegment()).append('=').append(randomSegment());
    }
    return path.toString();
  }

  /** A URL-encoded path segment, mostly short, sometimes very long. */
  private String randomSegment() {
    int length = random.nextInt(10) == 0 ? random.nextInt(12_000) : random.nextInt(20);
    StringBuilder segment = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (random.nextInt(4) == 0) {
        segment.append(String.format("%%%02X", random.nextInt(256)));
      } else {
        segment.append(UNRESERVED.charAt(random.nextInt(UNRESERVED.length())));
      }
    }
    return segment.toString();
  }

  /** A random number of headers, some with long values, some repeating one name. */
  private List<Header> headers() {
    int count = random.nextInt(3) == 0 ? random.nextInt(400) : random.nextInt(20);
    int valueLength = random.nextInt(5) == 0 ? random.nextInt(8192) : 1 + random.nextInt(32);
    boolean repeated = random.nextInt(4) == 0;
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("Content-Type", "application/json"));
    int bytes = 0;
    for (int i = 0; i < count; i++) {
      String name = repeated ? "X-Fuzz" : "X-Fuzz-" + i;
      StringBuilder value = new StringBuilder(valueLength);
      for (int c = 0; c < valueLength; c++) {
        value.append((char) (33 + random.nextInt(94)));
      }
      bytes += name.length() + valueLength + 4;
      if (bytes > HEADER_BUDGET) {
        break;
      }
      headers.add(new Header(name, value.toString()));
    }
    return headers;
  }

  private String pick(String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }
}

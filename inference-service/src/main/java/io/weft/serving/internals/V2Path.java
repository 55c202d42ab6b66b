package io.weft.serving.internals;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A request path of the Open Inference Protocol v2 REST API, recognised: which endpoint, for which
 * model and version, and the one HTTP method it answers.
 *
 * @param endpoint what is asked for
 * @param model the model's name, or null for the server's endpoints
 * @param version the version asked for, or null for the production version
 */
public record V2Path(Endpoint endpoint, String model, String version) {

  /** The endpoints, each with its method. */
  public enum Endpoint {
    SERVER_METADATA("GET"),
    LIVE("GET"),
    READY("GET"),
    MODEL_METADATA("GET"),
    MODEL_READY("GET"),
    INFER("POST");

    private final String method;

    Endpoint(String method) {
      this.method = method;
    }

    public String method() {
      return method;
    }
  }

  /** The endpoint of {@code rawPath} (still URL-encoded); empty if there is none. */
  public static Optional<V2Path> parse(String rawPath) {
    String trimmed = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    String[] parts = trimmed.split("/", -1);
    // parts[0] is the empty text before the leading slash
    if (parts.length < 2 || !parts[0].isEmpty() || !"v2".equals(parts[1])) {
      return Optional.empty();
    }
    int n = parts.length - 2;
    if (n == 0) {
      return Optional.of(new V2Path(Endpoint.SERVER_METADATA, null, null));
    }
    if (n == 2 && "health".equals(parts[2])) {
      return switch (parts[3]) {
        case "live" -> Optional.of(new V2Path(Endpoint.LIVE, null, null));
        case "ready" -> Optional.of(new V2Path(Endpoint.READY, null, null));
        default -> Optional.empty();
      };
    }
    if (n < 2 || !"models".equals(parts[2]) || parts[3].isEmpty()) {
      return Optional.empty();
    }
    String model = decode(parts[3]);
    String version = null;
    int rest = 4;
    if (parts.length >= 6 && "versions".equals(parts[4]) && !parts[5].isEmpty()) {
      version = decode(parts[5]);
      rest = 6;
    }
    if (parts.length == rest) {
      return Optional.of(new V2Path(Endpoint.MODEL_METADATA, model, version));
    }
    if (parts.length == rest + 1) {
      return switch (parts[rest]) {
        case "ready" -> Optional.of(new V2Path(Endpoint.MODEL_READY, model, version));
        case "infer" -> Optional.of(new V2Path(Endpoint.INFER, model, version));
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }
}

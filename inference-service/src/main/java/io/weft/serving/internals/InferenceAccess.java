package io.weft.serving.internals;

import io.weft.core.http.AccessRule;
import io.weft.core.http.Scope;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc;
import java.util.Optional;

/**
 * The scope each endpoint of the inference service needs when it requires tokens ({@code
 * weft.http.auth.tokens.file}), by the request's method and raw path:
 *
 * <ul>
 *   <li>none: {@code /v2/health/live} and {@code /v2/health/ready}, the probes;
 *   <li>{@link Scope#WRITE}: {@code POST /v2/models/{name}[/versions/{v}]/infer};
 *   <li>{@link Scope#READ}: everything else: {@code GET /v2}, a model's metadata and readiness,
 *       {@code GET /metrics}, and any path or method no endpoint answers (refused before it learns
 *       so).
 * </ul>
 *
 * <p>The gRPC endpoint's calls, {@code POST /inference.GRPCInferenceService/{method}}, need the
 * same: none for {@code ServerLive} and {@code ServerReady}, write for {@code ModelInfer}, read for
 * the rest.
 */
public final class InferenceAccess implements AccessRule {

  /** The path prefix of the v2 gRPC service's methods. */
  static final String GRPC_SERVICE = "/" + GRPCInferenceServiceGrpc.SERVICE_NAME + "/";

  @Override
  public Optional<Scope> required(String method, String rawPath) {
    if (rawPath.startsWith(GRPC_SERVICE)) {
      return switch (rawPath.substring(GRPC_SERVICE.length())) {
        case "ServerLive", "ServerReady" -> Optional.empty();
        case "ModelInfer" -> Optional.of(Scope.WRITE);
        default -> Optional.of(Scope.READ);
      };
    }
    Optional<V2Path> path;
    try {
      path = V2Path.parse(rawPath);
    } catch (IllegalArgumentException e) {
      return Optional.of(Scope.READ); // a malformed escape: refused as a bad request after this
    }
    if (path.isEmpty()) {
      return Optional.of(Scope.READ);
    }
    return switch (path.get().endpoint()) {
      case LIVE, READY -> Optional.empty();
      case INFER -> Optional.of(method.equals("POST") ? Scope.WRITE : Scope.READ);
      default -> Optional.of(Scope.READ);
    };
  }
}

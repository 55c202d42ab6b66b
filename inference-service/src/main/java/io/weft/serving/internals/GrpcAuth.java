package io.weft.serving.internals;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.weft.core.http.BearerAuth;
import io.weft.core.http.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Bearer tokens on the gRPC endpoint, checked as the REST endpoints check them: the {@code
 * authorization} metadata ({@code Bearer <token>}) against the server's {@link BearerAuth}, the
 * scope a call needs as {@link InferenceAccess} says for {@code POST /<service>/<method>}. A call
 * refused is closed with UNAUTHENTICATED (no valid token) or PERMISSION_DENIED (a token without the
 * scope), the message the REST answer has and the challenge in the {@code www-authenticate}
 * trailer, and counted as a refusal.
 */
final class GrpcAuth implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> CHALLENGE =
      Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER);

  private final BearerAuth auth;
  private final InferenceMetrics metrics;

  GrpcAuth(BearerAuth auth, InferenceMetrics metrics) {
    this.auth = auth;
    this.metrics = metrics;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    Iterable<String> values = headers.getAll(AUTHORIZATION);
    List<String> authorization = new ArrayList<>();
    if (values != null) {
      values.forEach(authorization::add);
    }
    Verdict verdict =
        auth.check("POST", "/" + call.getMethodDescriptor().getFullMethodName(), authorization);
    if (verdict.isAllowed()) {
      return next.startCall(call, headers);
    }
    boolean unauthenticated = verdict.status() == 401;
    metrics.refused(unauthenticated ? Refusal.UNAUTHENTICATED : Refusal.FORBIDDEN);
    Metadata trailers = new Metadata();
    trailers.put(CHALLENGE, verdict.challenge());
    call.close(
        GrpcInferenceService.status(verdict.status()).withDescription(verdict.message()), trailers);
    return new ServerCall.Listener<>() {};
  }
}

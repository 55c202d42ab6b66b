package io.weft.serving.internals;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.weft.ml.api.Tensor;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc;
import io.weft.serving.grpc.v2.ModelInferRequest;
import io.weft.serving.grpc.v2.ModelInferResponse;
import io.weft.serving.grpc.v2.ModelMetadataRequest;
import io.weft.serving.grpc.v2.ModelMetadataResponse;
import io.weft.serving.grpc.v2.ModelReadyRequest;
import io.weft.serving.grpc.v2.ModelReadyResponse;
import io.weft.serving.grpc.v2.ServerLiveRequest;
import io.weft.serving.grpc.v2.ServerLiveResponse;
import io.weft.serving.grpc.v2.ServerMetadataRequest;
import io.weft.serving.grpc.v2.ServerMetadataResponse;
import io.weft.serving.grpc.v2.ServerReadyRequest;
import io.weft.serving.grpc.v2.ServerReadyResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol v2 over gRPC (KServe's {@code inference.GRPCInferenceService}),
 * answered from the same {@link ServedModels} as the REST endpoints ({@link InferenceHandler}) and
 * by the same rules: the model found by {@link ModelRouting}, the input checked by {@link
 * InferRequestParser#rows}, its tensors converted by {@link GrpcTensors}. A call that fails gets
 * the REST answer's error message with the status code its HTTP status stands for: 400
 * INVALID_ARGUMENT, 404 NOT_FOUND, 413 RESOURCE_EXHAUSTED, 503 UNAVAILABLE, and INTERNAL for the
 * server's own failures. Refusals are counted by reason, and infer calls by model, version and that
 * HTTP status, in the same meters as REST requests.
 */
public final class GrpcInferenceService
    extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(GrpcInferenceService.class);

  private final ServedModels models;
  private final ModelRouting routing;
  private final InferRequestParser checks;
  private final InferenceMetrics metrics;
  private final String serverVersion;

  /**
   * @param maxBatch the most rows an input may have ({@code serve.max.batch})
   * @param maxRequestBytes the largest message ({@code serve.max.request.bytes})
   * @param metrics where calls are counted
   */
  public GrpcInferenceService(
      ServedModels models, int maxBatch, int maxRequestBytes, InferenceMetrics metrics) {
    this.models = models;
    this.routing = new ModelRouting(models);
    this.checks = new InferRequestParser(maxBatch, maxRequestBytes);
    this.metrics = metrics;
    String version = GrpcInferenceService.class.getPackage().getImplementationVersion();
    this.serverVersion = version == null ? "dev" : version;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
    respond(answer, () -> ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> answer) {
    respond(answer, () -> ServerReadyResponse.newBuilder().setReady(models.isReady()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
    respond(
        answer,
        () ->
            ModelReadyResponse.newBuilder()
                .setReady(routing.isReady(request.getName(), version(request.getVersion())))
                .build());
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> answer) {
    respond(
        answer,
        () ->
            ServerMetadataResponse.newBuilder()
                .setName("weft")
                .setVersion(serverVersion)
                .addAllExtensions(V2Json.EXTENSIONS)
                .build());
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
    respond(
        answer,
        () -> {
          ModelRouting.Described model =
              routing.describe(request.getName(), version(request.getVersion()));
          return GrpcTensors.metadata(model.name(), model.version(), model.signature());
        });
  }

  /**
   * Answers an infer call: at once, or, for a model whose requests are merged ({@link
   * DynamicBatcher}), from the thread that ran its batch, this call's thread free meanwhile.
   */
  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
    long startNanos = System.nanoTime();
    String name = request.getModelName();
    ServedModel model;
    try {
      model = routing.acquire(name, version(request.getModelVersion()));
    } catch (RuntimeException e) {
      count(name, 0, fail(answer, e), startNanos);
      return;
    }
    InferRequest input;
    CompletableFuture<List<Tensor>> outputs;
    try {
      input = GrpcTensors.input(request, checks, name, model.servable());
      outputs = model.infer(input.inputs(), Runnable::run);
    } catch (RuntimeException e) {
      model.release();
      count(name, model.version(), fail(answer, e), startNanos);
      return;
    }
    outputs.whenComplete(
        (answered, failure) -> {
          try {
            int status =
                failure != null
                    ? fail(answer, Failures.unwrap(failure))
                    : respond(
                        answer, () -> GrpcTensors.response(name, model.version(), input, answered));
            count(name, model.version(), status, startNanos);
          } finally {
            model.release();
          }
        });
  }

  /**
   * Counts an answered infer call as {@link InferenceHandler} counts a request: tagged with a model
   * name only if that model is served, with a version only if one answered.
   */
  private void count(String name, int version, int status, long startNanos) {
    metrics.answered(
        routing.isServed(name) ? name : "",
        version > 0 ? String.valueOf(version) : "",
        status,
        System.nanoTime() - startNanos);
  }

  /**
   * Answers with what {@code response} gives, or with the status of its failure.
   *
   * @return the HTTP status the answer stands for: 200, a refusal's, or 500
   */
  private <T> int respond(StreamObserver<T> answer, Supplier<T> response) {
    T value;
    try {
      value = response.get();
    } catch (RuntimeException e) {
      return fail(answer, e);
    }
    answer.onNext(value);
    answer.onCompleted();
    return 200;
  }

  /**
   * Answers with the status of {@code failure}: a {@link HttpProblem}'s, counting its refusal, or
   * INTERNAL.
   *
   * @return the HTTP status the answer stands for
   */
  private int fail(StreamObserver<?> answer, RuntimeException failure) {
    if (failure instanceof HttpProblem problem) {
      if (problem.refusal() != null) {
        metrics.refused(problem.refusal());
      }
      answer.onError(status(problem.status()).withDescription(problem.getMessage()).asException());
      return problem.status();
    }
    log.error("gRPC call failed: {}", failure.getMessage(), failure);
    answer.onError(
        Status.INTERNAL.withDescription("internal error: " + failure.getMessage()).asException());
    return 500;
  }

  /** The gRPC status an HTTP status stands for. */
  static Status status(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> Status.INVALID_ARGUMENT;
      case 401 -> Status.UNAUTHENTICATED;
      case 403 -> Status.PERMISSION_DENIED;
      case 404 -> Status.NOT_FOUND;
      case 413 -> Status.RESOURCE_EXHAUSTED;
      case 503 -> Status.UNAVAILABLE;
      default -> Status.INTERNAL;
    };
  }

  /** The version a request names; null (the production version) if it names none. */
  private static String version(String version) {
    return version.isEmpty() ? null : version;
  }
}

package io.weft.serving.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.core.http.BearerAuth;
import io.weft.core.http.Verdict;
import io.weft.core.metrics.MetricsEndpoint;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the Open Inference Protocol v2 REST endpoints from the {@link ServedModels}. Client
 * mistakes get a 4xx with {@code {"error": "..."}} saying what was expected, counted by {@link
 * Refusal}; only the server's own failures (a model version that cannot be loaded on demand, a
 * failed forward pass) get a 5xx. A request is held to limits before anything is done with it: its
 * head to {@link HeadLimits}, then its token to the scope {@link InferenceAccess} names (if tokens
 * are required), its body to {@code serve.max.request.bytes} (a larger body the server refuses
 * unread, {@link ServingRequest#body()} says so), its input to {@code serve.max.batch} rows.
 *
 * <p>It answers a {@link ServingRequest} with a {@link ServingResponse}, whatever server reads and
 * writes them ({@link NettyHttpServer}), on the thread that calls it.
 */
public final class InferenceHandler {

  private static final Logger log = LoggerFactory.getLogger(InferenceHandler.class);

  /** The largest JSON body {@link #isQuick} lets the event loop parse. */
  static final int QUICK_JSON_BYTES = 16 * 1024;

  private final ModelRouting routing;
  private final InferRequestParser parser;
  private final BooleanSupplier ready;
  private final String serverVersion;
  private final InferenceMetrics metrics;
  private final PrometheusMeterRegistry scrape;
  private final BearerAuth auth;

  public InferenceHandler(
      ServedModels models, int maxBatch, int maxRequestBytes, BooleanSupplier ready) {
    this(models, maxBatch, maxRequestBytes, ready, new InferenceMetrics(), null, null);
  }

  /**
   * @param metrics where infer requests are counted
   * @param scrape the registry {@code GET /metrics} answers from, or null for none
   * @param auth the bearer tokens each request is checked against ({@link InferenceAccess}), or
   *     null for none
   */
  public InferenceHandler(
      ServedModels models,
      int maxBatch,
      int maxRequestBytes,
      BooleanSupplier ready,
      InferenceMetrics metrics,
      PrometheusMeterRegistry scrape,
      BearerAuth auth) {
    this.auth = auth;
    this.metrics = metrics;
    this.scrape = scrape;
    this.routing = new ModelRouting(models);
    this.parser = new InferRequestParser(maxBatch, maxRequestBytes);
    this.ready = ready;
    String version = InferenceHandler.class.getPackage().getImplementationVersion();
    this.serverVersion = version == null ? "dev" : version;
  }

  /**
   * Answers {@code request}: checks its head ({@link HeadLimits}), answers it, counts a refusal by
   * its reason and an infer request by model, version and status. The answer is complete when this
   * returns, unless the request waits for a merged forward pass ({@link DynamicBatcher}): then it
   * completes on the thread that ran the pass. It never completes exceptionally: the server's own
   * failures are answered 500.
   */
  public CompletableFuture<ServingResponse> handle(ServingRequest request) {
    return handle(request, Runnable::run);
  }

  /**
   * As {@link #handle(ServingRequest)}, a forward pass that is not merged with others running on
   * {@code forwardPasses}: how a thread that must not run one (an event loop) answers a request.
   */
  public CompletableFuture<ServingResponse> handle(ServingRequest request, Executor forwardPasses) {
    long startNanos = System.nanoTime();
    Map<String, String> headers = new LinkedHashMap<>();
    Optional<V2Path> path = Optional.empty();
    CompletableFuture<Answer> answer;
    try {
      String rawPath = request.rawPath();
      path = V2Path.parse(rawPath);
      HeadLimits.check(request);
      authenticate(request, rawPath, headers);
      if (scrape != null && rawPath.equals("/metrics")) {
        return CompletableFuture.completedFuture(scrape(request));
      }
      answer = route(request, rawPath, path, headers, forwardPasses);
    } catch (RuntimeException e) {
      answer = CompletableFuture.completedFuture(failed(request, e, 0));
    }
    Optional<V2Path> counted = path;
    return answer.thenApply(
        done -> {
          // counted before it is written: a client that has its answer sees it counted
          if (done.refusal() != null) {
            metrics.refused(done.refusal());
          }
          if (counted.isPresent() && counted.get().endpoint() == V2Path.Endpoint.INFER) {
            count(counted.get(), done, startNanos);
          }
          return respond(done, headers);
        });
  }

  /**
   * Whether {@code request} can be answered on the thread that read it, without a worker: an infer
   * request for the production version of a model whose requests are merged, with a body that is
   * quick to parse (binary tensors, or JSON of at most {@value #QUICK_JSON_BYTES} bytes), on a
   * server that requires no token. Its forward pass runs on the batcher's threads, and {@link
   * #handle} only parses it and queues it.
   */
  public boolean isQuick(ServingRequest request) {
    // checking a token may block (a token file re-read, an OIDC key set fetched): not here
    if (auth != null || !request.method().equals("POST") || request.isBodyRefused()) {
      return false;
    }
    if (request.header(BinaryBody.HEADER_LENGTH) == null
        && request.body().length > QUICK_JSON_BYTES) {
      return false;
    }
    Optional<V2Path> path;
    try {
      path = V2Path.parse(request.rawPath());
    } catch (HttpProblem notUri) {
      return false;
    }
    return path.isPresent()
        && path.get().endpoint() == V2Path.Endpoint.INFER
        && path.get().version() == null
        && routing.isBatched(path.get().model());
  }

  /**
   * Answers a request the server refused before it could make a {@link ServingRequest} of it (a
   * head over what it reads, a malformed request), or could not hand on (503, shutting down); a
   * refusal is counted by its reason.
   */
  public ServingResponse refuse(HttpProblem problem) {
    Answer answer = Answer.of(problem, 0);
    if (answer.refusal() != null) {
      metrics.refused(answer.refusal());
    }
    return respond(answer, Map.of());
  }

  /**
   * @throws HttpProblem (401, 403) if tokens are required and the request's does not do, with the
   *     challenge set in {@code headers}
   */
  private void authenticate(ServingRequest request, String rawPath, Map<String, String> headers) {
    if (auth == null) {
      return;
    }
    Verdict verdict = auth.check(request.method(), rawPath, request.headers("Authorization"));
    if (!verdict.isAllowed()) {
      headers.put("WWW-Authenticate", verdict.challenge());
      throw new HttpProblem(
          verdict.status() == 401 ? Refusal.UNAUTHENTICATED : Refusal.FORBIDDEN, verdict.message());
    }
  }

  /** {@code GET /metrics}: the registry in the format the request's {@code Accept} asks for. */
  private ServingResponse scrape(ServingRequest request) {
    String contentType = MetricsEndpoint.contentType(request.header("Accept"));
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    try {
      scrape.scrape(body, contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return new ServingResponse(200, Map.of("Content-Type", contentType), body.toByteArray(), null);
  }

  /**
   * Counts an answered infer request. Its tags are the model's name only if that model is served,
   * and the version only if one answered: a name or version a client makes up would otherwise add
   * meters without bound.
   */
  private void count(V2Path path, Answer answer, long startNanos) {
    String model = routing.isServed(path.model()) ? path.model() : "";
    String version = answer.version() > 0 ? String.valueOf(answer.version()) : "";
    metrics.answered(model, version, answer.status(), System.nanoTime() - startNanos);
  }

  private CompletableFuture<Answer> route(
      ServingRequest request,
      String rawPath,
      Optional<V2Path> parsed,
      Map<String, String> headers,
      Executor forwardPasses) {
    V2Path path = parsed.orElseThrow(() -> HttpProblem.notFound("no such endpoint: " + rawPath));
    String method = request.method();
    if (!path.endpoint().method().equals(method)) {
      headers.put("Allow", path.endpoint().method());
      throw new HttpProblem(
          Refusal.METHOD_NOT_ALLOWED,
          method + " is not allowed on " + rawPath + "; use " + path.endpoint().method());
    }
    if (path.endpoint() == V2Path.Endpoint.INFER) {
      return infer(request, path, forwardPasses);
    }
    return CompletableFuture.completedFuture(
        switch (path.endpoint()) {
          case LIVE -> new Answer(200, V2Json.MAPPER.createObjectNode().put("live", true));
          case READY -> readiness(ready.getAsBoolean());
          case SERVER_METADATA -> new Answer(200, V2Json.serverMetadata(serverVersion));
          case MODEL_READY -> modelReady(path);
          case MODEL_METADATA -> metadata(path);
          case INFER -> throw new AssertionError("answered above");
        });
  }

  private static Answer readiness(boolean isReady) {
    return new Answer(isReady ? 200 : 503, V2Json.MAPPER.createObjectNode().put("ready", isReady));
  }

  private Answer modelReady(V2Path path) {
    return readiness(routing.isReady(path.model(), path.version()));
  }

  private Answer metadata(V2Path path) {
    ModelRouting.Described model = routing.describe(path.model(), path.version());
    ModelSignature signature = model.signature();
    return new Answer(
        200,
        V2Json.modelMetadata(
            model.name(),
            model.version(),
            signature.platform(),
            signature.inputs(),
            signature.outputs()));
  }

  /**
   * Answers an infer request: acquires the model version, parses the body against it, runs the
   * forward pass (or queues it for a merged one) and releases the version once it is answered.
   */
  private CompletableFuture<Answer> infer(
      ServingRequest http, V2Path path, Executor forwardPasses) {
    String name = path.model();
    ServedModel model = routing.acquire(name, path.version());
    InferRequest request;
    CompletableFuture<List<Tensor>> outputs;
    try {
      request =
          parser.parse(
              BinaryBody.split(http.body(), http.header(BinaryBody.HEADER_LENGTH)),
              name,
              model.servable());
      outputs = model.infer(request.inputs(), forwardPasses);
    } catch (RuntimeException e) {
      model.release();
      return CompletableFuture.completedFuture(failed(http, e, model.version()));
    }
    return outputs.handle(
        (answered, failure) -> {
          try {
            if (failure != null) {
              return failed(http, Failures.unwrap(failure), model.version());
            }
            V2Json.InferResponse response = V2Json.infer(name, model.version(), request, answered);
            return new Answer(200, response.json(), model.version(), null, response.binary());
          } catch (RuntimeException e) {
            return failed(http, e, model.version());
          } finally {
            model.release();
          }
        });
  }

  /** The answer to {@code request} that failed with {@code failure}: its 4xx, or 500. */
  private static Answer failed(ServingRequest request, RuntimeException failure, int version) {
    if (failure instanceof HttpProblem problem) {
      return Answer.of(problem, version);
    }
    log.error("Request {} failed: {}", request.target(), failure.getMessage(), failure);
    return new Answer(500, V2Json.error("internal error: " + failure.getMessage()), version, null);
  }

  /**
   * The response that says {@code answer}, with {@code headers}: its JSON, then the raw outputs of
   * the binary tensor extension, if any, after it.
   */
  private static ServingResponse respond(Answer answer, Map<String, String> headers) {
    byte[] json;
    try {
      json = V2Json.MAPPER.writeValueAsBytes(answer.body());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of JSON nodes always serialises
    }
    Map<String, String> all = new LinkedHashMap<>(headers);
    byte[] binary = answer.binary();
    if (binary == null) {
      all.put("Content-Type", "application/json");
    } else {
      // the binary tensor extension: the JSON, then the outputs' raw bytes
      all.put("Content-Type", "application/octet-stream");
      all.put(BinaryBody.HEADER_LENGTH, String.valueOf(json.length));
    }
    return new ServingResponse(answer.status(), all, json, binary);
  }

  /**
   * What to answer.
   *
   * @param version the model version that answered an infer request or refused its body, or 0
   * @param refusal why the request was refused, or null if it was not
   */
  private record Answer(int status, JsonNode body, int version, Refusal refusal, byte[] binary) {
    Answer(int status, JsonNode body) {
      this(status, body, 0, null, null);
    }

    Answer(int status, JsonNode body, int version, Refusal refusal) {
      this(status, body, version, refusal, null);
    }

    static Answer of(HttpProblem problem, int version) {
      return new Answer(
          problem.status(), V2Json.error(problem.getMessage()), version, problem.refusal());
    }
  }
}

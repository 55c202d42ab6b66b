package io.weft.serving.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.core.http.BearerAuth;
import io.weft.core.http.Verdict;
import io.weft.core.metrics.MetricsEndpoint;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.Tensor;
import io.weft.schemas.models.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the Open Inference Protocol v2 REST endpoints from the {@link ServedModels}. Client
 * mistakes get a 4xx with {@code {"error": "..."}} saying what was expected, counted by {@link
 * Refusal}; only the server's own failures (a model version that cannot be loaded on demand, a
 * failed forward pass) get a 5xx. A request is held to limits before anything is done with it: its
 * head to {@link HeadLimits}, then its token to the scope {@link InferenceAccess} names (if tokens
 * are required), its body to {@code serve.max.request.bytes}, its input to {@code serve.max.batch}
 * rows.
 */
public final class InferenceHandler {

  private static final Logger log = LoggerFactory.getLogger(InferenceHandler.class);

  /** How many times {@code serve.max.request.bytes} of an unread body are read after answering. */
  static final long DRAIN_FACTOR = 4;

  private final ServedModels models;
  private final InferRequestParser parser;
  private final int maxRequestBytes;
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
    this.models = models;
    this.parser = new InferRequestParser(maxBatch, maxRequestBytes);
    this.maxRequestBytes = maxRequestBytes;
    this.ready = ready;
    String version = InferenceHandler.class.getPackage().getImplementationVersion();
    this.serverVersion = version == null ? "dev" : version;
  }

  /**
   * Handles one exchange and closes it: checks its head ({@link HeadLimits}), answers it, counts a
   * refusal by its reason and an infer request by model, version and status.
   */
  public void handle(HttpExchange exchange) {
    long startNanos = System.nanoTime();
    String rawPath = Objects.requireNonNullElse(exchange.getRequestURI().getRawPath(), "");
    try (exchange) {
      Optional<V2Path> path = Optional.empty();
      Answer answer;
      try {
        path = V2Path.parse(rawPath);
        HeadLimits.check(exchange);
        authenticate(exchange, rawPath);
        if (scrape != null && rawPath.equals("/metrics")) {
          scrape(exchange);
          return;
        }
        answer = route(exchange, path);
      } catch (HttpProblem problem) {
        answer = Answer.of(problem, 0);
      } catch (IOException e) {
        log.debug("Cannot read request {}: {}", exchange.getRequestURI(), e.toString());
        answer =
            new Answer(
                400,
                V2Json.error("cannot read the request body: " + e.getMessage()),
                0,
                Refusal.BAD_REQUEST);
      } catch (RuntimeException e) {
        log.error("Request {} failed: {}", exchange.getRequestURI(), e.getMessage(), e);
        answer = new Answer(500, V2Json.error("internal error: " + e.getMessage()));
      }
      // counted before it is written: a client that has its answer sees it counted
      if (answer.refusal() != null) {
        metrics.refused(answer.refusal());
      }
      if (path.isPresent() && path.get().endpoint() == V2Path.Endpoint.INFER) {
        count(path.get(), answer, startNanos);
      }
      respond(exchange, answer);
    } catch (IOException e) {
      log.debug("Cannot answer {}: {}", exchange.getRequestURI(), e.toString());
    }
  }

  /**
   * @throws HttpProblem (401, 403) if tokens are required and the request's does not do, with the
   *     challenge set on the answer
   */
  private void authenticate(HttpExchange exchange, String rawPath) {
    if (auth == null) {
      return;
    }
    Verdict verdict =
        auth.check(
            exchange.getRequestMethod(),
            rawPath,
            exchange.getRequestHeaders().get("Authorization"));
    if (!verdict.isAllowed()) {
      exchange.getResponseHeaders().set("WWW-Authenticate", verdict.challenge());
      throw new HttpProblem(
          verdict.status() == 401 ? Refusal.UNAUTHENTICATED : Refusal.FORBIDDEN, verdict.message());
    }
  }

  private void scrape(HttpExchange exchange) {
    try {
      MetricsEndpoint.respond(exchange, scrape);
    } catch (IOException e) {
      log.debug("Cannot answer /metrics: {}", e.toString());
    }
  }

  /**
   * Counts an answered infer request. Its tags are the model's name only if that model is served,
   * and the version only if one answered: a name or version a client makes up would otherwise add
   * meters without bound.
   */
  private void count(V2Path path, Answer answer, long startNanos) {
    String model = models.isServed(path.model()) ? path.model() : "";
    String version = answer.version() > 0 ? String.valueOf(answer.version()) : "";
    metrics.answered(model, version, answer.status(), System.nanoTime() - startNanos);
  }

  private Answer route(HttpExchange exchange, Optional<V2Path> parsed) throws IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    V2Path path = parsed.orElseThrow(() -> HttpProblem.notFound("no such endpoint: " + rawPath));
    String method = exchange.getRequestMethod();
    if (!path.endpoint().method().equals(method)) {
      exchange.getResponseHeaders().set("Allow", path.endpoint().method());
      throw new HttpProblem(
          Refusal.METHOD_NOT_ALLOWED,
          method + " is not allowed on " + rawPath + "; use " + path.endpoint().method());
    }
    return switch (path.endpoint()) {
      case LIVE -> new Answer(200, V2Json.MAPPER.createObjectNode().put("live", true));
      case READY -> readiness(ready.getAsBoolean());
      case SERVER_METADATA -> new Answer(200, V2Json.serverMetadata(serverVersion));
      case MODEL_READY -> modelReady(path);
      case MODEL_METADATA -> metadata(path);
      case INFER -> infer(exchange, path);
    };
  }

  private static Answer readiness(boolean isReady) {
    return new Answer(isReady ? 200 : 503, V2Json.MAPPER.createObjectNode().put("ready", isReady));
  }

  private Answer modelReady(V2Path path) {
    requireServed(path.model());
    if (path.version() == null) {
      return readiness(models.isReady(path.model()));
    }
    int version = version(path);
    requireRegistered(path.model(), version);
    return readiness(models.peek(path.model()).map(m -> m.version() == version).orElse(false));
  }

  private Answer metadata(V2Path path) {
    requireServed(path.model());
    if (path.version() != null) {
      ModelVersion registered = requireRegistered(path.model(), version(path));
      ModelSignature signature = ModelSignature.fromProperties(registered.getProperties());
      return new Answer(
          200,
          V2Json.modelMetadata(
              path.model(),
              registered.getVersion(),
              signature.platform(),
              signature.inputs(),
              signature.outputs()));
    }
    ServedModel served = models.peek(path.model()).orElseThrow(() -> loading(path.model()));
    return new Answer(
        200, V2Json.modelMetadata(served.name(), served.version(), served.servable()));
  }

  private Answer infer(HttpExchange exchange, V2Path path) throws IOException {
    String name = path.model();
    requireServed(name);
    Optional<ServedModel> acquired;
    if (path.version() == null) {
      acquired = models.acquire(name);
      if (acquired.isEmpty()) {
        throw loading(name);
      }
    } else {
      int version = version(path);
      acquired = models.acquire(name, version);
      if (acquired.isEmpty()) {
        throw noVersion(name, version);
      }
    }
    ServedModel model = acquired.get();
    try {
      byte[] body = readBody(exchange);
      InferRequest request =
          parser.parse(
              BinaryBody.split(
                  body, exchange.getRequestHeaders().getFirst(BinaryBody.HEADER_LENGTH)),
              name,
              model.servable());
      List<Tensor> outputs = model.servable().infer(request.inputs());
      V2Json.InferResponse response = V2Json.infer(name, model.version(), request, outputs);
      return new Answer(200, response.json(), model.version(), null, response.binary());
    } catch (HttpProblem problem) {
      return Answer.of(problem, model.version());
    } finally {
      model.release();
    }
  }

  private byte[] readBody(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    long contentLength = -1;
    if (length != null) {
      try {
        contentLength = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw HttpProblem.badRequest("Content-Length '" + length + "' is not a number");
      }
    }
    return BoundedBody.read(exchange.getRequestBody(), contentLength, maxRequestBytes);
  }

  private void requireServed(String name) {
    if (!models.isServed(name)) {
      throw HttpProblem.notFound(
          "model '"
              + name
              + "' not found; served models: "
              + (models.loaded().isEmpty() ? "none" : String.join(", ", models.loaded())));
    }
  }

  private ModelVersion requireRegistered(String name, int version) {
    return models.registered(name, version).orElseThrow(() -> noVersion(name, version));
  }

  private HttpProblem noVersion(String name, int version) {
    return HttpProblem.notFound(
        "model '"
            + name
            + "' has no version "
            + version
            + models.peek(name).map(m -> "; production is version " + m.version()).orElse(""));
  }

  private static HttpProblem loading(String name) {
    return HttpProblem.unavailable("model '" + name + "' is not loaded yet");
  }

  private static int version(V2Path path) {
    try {
      int version = Integer.parseInt(path.version());
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw HttpProblem.notFound(
        "model '"
            + path.model()
            + "' has no version '"
            + path.version()
            + "'; versions are 1, 2, ...");
  }

  /**
   * Writes {@code answer}. If the request's body was not read to its end (refused before, or too
   * large), the answer closes the connection, and what the client may still be sending is read
   * after it, at most {@value #DRAIN_FACTOR} times {@code serve.max.request.bytes}: a connection
   * closed with bytes unread is reset, and the client would lose the answer.
   */
  private void respond(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = V2Json.MAPPER.writeValueAsBytes(answer.body());
    InputStream body = exchange.getRequestBody();
    boolean unread = !BoundedBody.atEnd(body);
    if (unread) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    byte[] binary = answer.binary();
    if (binary == null) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    } else {
      // the binary tensor extension: the JSON, then the outputs' raw bytes
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.getResponseHeaders().set(BinaryBody.HEADER_LENGTH, String.valueOf(bytes.length));
    }
    exchange.sendResponseHeaders(
        answer.status(), bytes.length + (binary == null ? 0 : binary.length));
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
      if (binary != null) {
        out.write(binary);
      }
      out.flush();
      if (unread) {
        try {
          BoundedBody.discard(body, DRAIN_FACTOR * maxRequestBytes);
        } catch (IOException e) {
          // the client is gone; it has the answer or never will
        }
      }
    }
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

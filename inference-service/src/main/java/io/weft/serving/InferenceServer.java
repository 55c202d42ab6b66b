package io.weft.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.weft.common.WeftException;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.metrics.WeftRegistry;
import io.weft.ml.api.ArtifactModelLoader;
import io.weft.ml.api.ModelLoader;
import io.weft.serving.internals.GrpcServer;
import io.weft.serving.internals.HeadLimits;
import io.weft.serving.internals.InferenceAccess;
import io.weft.serving.internals.InferenceHandler;
import io.weft.serving.internals.InferenceMetrics;
import io.weft.serving.internals.NettyHttpServer;
import io.weft.serving.internals.ProductionModels;
import io.weft.serving.internals.RegistryProductionModels;
import io.weft.serving.internals.ServedModels;
import io.weft.serving.internals.ServingThreads;
import io.weft.workers.api.RoutingArtifactStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server speaking the KServe Open Inference Protocol v2 (REST, JSON) that serves the {@code
 * production} version of each registered model.
 *
 * <p>It follows the model registry's aliases: when a model is promoted or rolled back, the new
 * version is loaded in the background and swapped in without failing a request in flight; the old
 * version is closed once its last request is answered. A version that cannot be loaded is logged
 * and the previous one stays in service.
 *
 * <p>Endpoints: {@code GET /v2}, {@code GET /v2/health/live}, {@code GET /v2/health/ready}, {@code
 * GET /v2/models/{name}[/versions/{v}]}, {@code GET /v2/models/{name}[/versions/{v}]/ready}, {@code
 * POST /v2/models/{name}[/versions/{v}]/infer}, and {@code GET /metrics} for Prometheus. See {@link
 * InferenceConfig} for settings.
 *
 * <p>It speaks HTTP/1.1 on Netty's NIO transport, with keep-alive, answering the requests a client
 * pipelines on one connection in the order they came. Its event loop threads ({@code
 * weft-serving-io-N}) only read and write: {@code serve.threads} workers ({@code
 * weft-serving-http-N}) answer the requests, so a slow forward pass holds up neither the health
 * probes nor other connections.
 *
 * <p>Whatever a client sends is held to limits and refused past them with a JSON error, counted in
 * {@code weft.inference.refused} by reason: a body over {@code serve.max.request.bytes} (413), an
 * input over {@code serve.max.batch} rows (413), a long target or too many or too large headers
 * ({@link HeadLimits}: 414, 431), anything malformed (400).
 *
 * <p>With {@code weft.http.tls.keystore.*} it speaks HTTPS; with {@code weft.http.auth.tokens.file}
 * each request but the health probes needs a bearer token: infer the write scope, the rest read
 * (401 and 403 otherwise, counted as unauthenticated and forbidden).
 *
 * <p>With {@code serve.grpc.port} it also answers the protocol over gRPC, secured and limited alike
 * ({@link #grpcPort()}).
 */
public final class InferenceServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InferenceServer.class);
  private final NettyHttpServer http;
  private final ExecutorService threads;
  private final ServedModels models;
  private final ProductionModels registry;
  private final URI uri;
  private final WeftRegistry meters;
  private volatile RoutingArtifactStore artifacts;
  private volatile GrpcServer grpc;

  private InferenceServer(
      NettyHttpServer http,
      ExecutorService threads,
      ServedModels models,
      ProductionModels registry,
      WeftRegistry meters,
      String scheme) {
    this.meters = meters;
    this.http = http;
    this.threads = threads;
    this.models = models;
    this.registry = registry;
    InetSocketAddress address = http.address();
    this.uri = URI.create(scheme + "://" + address.getHostString() + ":" + address.getPort());
  }

  /**
   * Starts a server with {@code settings} (see {@link InferenceConfig}). Returns once the HTTP port
   * is bound; the models load in the background ({@link #isReady()}).
   *
   * @throws org.apache.kafka.common.config.ConfigException naming an unknown or invalid setting
   * @throws WeftException if the port cannot be bound
   */
  public static InferenceServer start(Map<String, ?> settings) {
    InferenceConfig config = new InferenceConfig(settings);
    RoutingArtifactStore artifacts = config.artifactStore();
    try {
      InferenceServer server =
          start(
              config,
              RegistryProductionModels.open(config.registrySettings()),
              new ArtifactModelLoader(artifacts),
              Time.SYSTEM);
      server.artifacts = artifacts;
      return server;
    } catch (RuntimeException e) {
      artifacts.close();
      throw e;
    }
  }

  /**
   * Starts a server on {@code registry}, which it closes on {@link #close()}, waiting by {@code
   * time}.
   */
  static InferenceServer start(
      InferenceConfig config, ProductionModels registry, ModelLoader loader, Time time) {
    HttpServerSecurity security;
    try {
      security = HttpServerSecurity.from(config); // reads the key store and the token file
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    WeftRegistry meters = WeftRegistry.create("inference");
    InferenceMetrics metrics = new InferenceMetrics(meters.registry());
    ModelLoader batched =
        version -> {
          String name = version.getName();
          return config
              .batching(name)
              .serve(loader.load(version), name, rows -> metrics.batch(name, rows));
        };
    ServedModels models = new ServedModels(registry, batched, config.models(), time, metrics);
    ExecutorService threads =
        Executors.newFixedThreadPool(config.threads(), ServingThreads.named("weft-serving-http-"));
    InferenceHandler handler =
        new InferenceHandler(
            models,
            config.maxBatch(),
            config.maxRequestBytes(),
            models::isReady,
            metrics,
            meters.registry(),
            security.auth(new InferenceAccess()).orElse(null));
    NettyHttpServer http;
    try {
      http =
          NettyHttpServer.bind(
              new InetSocketAddress(config.host(), config.port()),
              security.sslContext().orElse(null),
              handler,
              threads,
              config.maxRequestBytes());
    } catch (IOException e) {
      threads.shutdownNow();
      registry.close();
      meters.close();
      throw new WeftException(
          "Cannot listen for inference requests on "
              + config.host()
              + ":"
              + config.port()
              + " ("
              + InferenceConfig.HOST_CONFIG
              + ", "
              + InferenceConfig.PORT_CONFIG
              + "): "
              + e.getMessage(),
          e);
    }
    InferenceServer server =
        new InferenceServer(http, threads, models, registry, meters, security.scheme());
    try {
      if (config.grpcPort() >= 0) {
        server.grpc = GrpcServer.start(config, security, models, metrics);
      }
      models.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    log.info("Inference server listening on {}", server.uri);
    return server;
  }

  /** The port of the v2 gRPC endpoint ({@code serve.grpc.port}); -1 if it serves none. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.port();
  }

  /** The meters served at {@code GET /metrics}. */
  public MeterRegistry meterRegistry() {
    return meters.registry();
  }

  /** The server's base address, {@code http://host:port}. */
  public URI uri() {
    return uri;
  }

  /**
   * Whether the server has read the registry's production aliases as they stood at start and has a
   * version of every production model loaded; {@code GET /v2/health/ready} answers the same.
   */
  public boolean isReady() {
    return models.isReady();
  }

  /**
   * Waits until {@link #isReady()}.
   *
   * @return whether it became ready within {@code timeout}
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return models.await(models::isReady, timeout);
  }

  /**
   * Waits until this server answers {@code model}'s infer requests with {@code version}, e.g. after
   * a promotion: loading happens off the request path, shortly after the alias moves.
   *
   * @return whether it did within {@code timeout}
   */
  public boolean awaitServing(String model, int version, Duration timeout)
      throws InterruptedException {
    return models.await(
        () -> models.peek(model).map(m -> m.version() == version).orElse(false), timeout);
  }

  /**
   * Stops listening, lets the requests being answered finish (at most 10 s) and writes their
   * answers, then closes the connections and the models.
   */
  @Override
  public void close() {
    if (grpc != null) {
      grpc.close();
    }
    http.stopAccepting();
    threads.shutdown();
    try {
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      threads.shutdownNow();
    }
    http.close();
    models.close();
    registry.close();
    meters.close();
    if (artifacts != null) {
      artifacts.close();
    }
    log.info("Inference server on {} stopped", uri);
  }
}

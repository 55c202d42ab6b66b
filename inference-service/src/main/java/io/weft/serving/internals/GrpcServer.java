package io.weft.serving.internals;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2SecurityUtil;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.weft.common.WeftException;
import io.weft.core.http.BearerAuth;
import io.weft.core.http.HttpServerSecurity;
import io.weft.serving.InferenceConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC endpoint of the inference service: grpc-java on its own (shaded) Netty, its event loops
 * {@code weft-serving-grpc-io-N}, answering {@link GrpcInferenceService} on a fixed pool of
 * threads, each running one call at a time (a call for a batched model only queues its request).
 * Over TLS (1.3 or 1.2, HTTP/2 by ALPN) with the HTTP server's key store if it has one; with bearer
 * tokens ({@link GrpcAuth}) if the HTTP server asks for them; messages up to {@code
 * serve.max.request.bytes}, a larger one refused with RESOURCE_EXHAUSTED before it is read.
 */
public final class GrpcServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /** The calls answered on a thread of their own, never queued behind forward passes. */
  private static final Set<String> PROBES = Set.of("ServerLive", "ServerReady");

  private final Server server;
  private final EventLoopGroup loops;
  private final ExecutorService threads;
  private final ExecutorService probes;
  private final String address;

  private GrpcServer(
      Server server,
      EventLoopGroup loops,
      ExecutorService threads,
      ExecutorService probes,
      String address) {
    this.server = server;
    this.loops = loops;
    this.threads = threads;
    this.probes = probes;
    this.address = address;
  }

  /**
   * Listens on {@code serve.host} and {@code serve.grpc.port} (which must not be -1) and answers
   * from {@code models}, secured as {@code security} says.
   *
   * @throws WeftException naming the settings if the port cannot be bound
   */
  public static GrpcServer start(
      InferenceConfig config,
      HttpServerSecurity security,
      ServedModels models,
      InferenceMetrics metrics) {
    GrpcInferenceService service =
        new GrpcInferenceService(models, config.maxBatch(), config.maxRequestBytes(), metrics);
    Optional<BearerAuth> auth = security.auth(new InferenceAccess());
    Optional<SSLContext> tls = security.sslContext();
    ExecutorService pool =
        Executors.newFixedThreadPool(config.threads(), ServingThreads.named("weft-serving-grpc-"));
    ExecutorService probes =
        Executors.newSingleThreadExecutor(ServingThreads.named("weft-serving-grpc-probe-"));
    // the transport's own event loops, named as the service's other threads are
    EventLoopGroup loops =
        new NioEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            ServingThreads.named("weft-serving-grpc-io-"));
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()))
            .bossEventLoopGroup(loops)
            .workerEventLoopGroup(loops)
            .channelType(NioServerSocketChannel.class)
            // a call's method is looked up on the transport's thread, then the call moves to
            // the probes' thread or the pool: liveness and readiness must answer while every
            // worker runs a forward pass, which they could not if the lookup itself waited for a
            // worker
            .directExecutor()
            .callExecutor(
                new ServerCallExecutorSupplier() {
                  @Override
                  public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata headers) {
                    return PROBES.contains(call.getMethodDescriptor().getBareMethodName())
                        ? probes
                        : pool;
                  }
                })
            .maxInboundMessageSize(config.maxRequestBytes())
            .addService(
                auth.isEmpty()
                    ? service.bindService()
                    : ServerInterceptors.intercept(service, new GrpcAuth(auth.get(), metrics)));
    tls.ifPresent(context -> builder.sslContext(netty(context)));
    Server server;
    try {
      server = builder.build().start();
    } catch (IOException e) {
      pool.shutdownNow();
      probes.shutdownNow();
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new WeftException(
          "Cannot listen for gRPC inference calls on "
              + config.host()
              + ":"
              + config.grpcPort()
              + " ("
              + InferenceConfig.HOST_CONFIG
              + ", "
              + InferenceConfig.GRPC_PORT_CONFIG
              + "): "
              + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      pool.shutdownNow();
      probes.shutdownNow();
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    String address = config.host() + ":" + server.getPort();
    log.info(
        "Inference gRPC endpoint listening on {} ({})",
        address,
        tls.isPresent() ? "TLS" : "plaintext");
    return new GrpcServer(server, loops, pool, probes, address);
  }

  /** A Netty server context of the JDK's {@code context}: HTTP/2 by ALPN, as gRPC needs. */
  private static JdkSslContext netty(SSLContext context) {
    return new JdkSslContext(
        context,
        false,
        Http2SecurityUtil.CIPHERS,
        SupportedCipherSuiteFilter.INSTANCE,
        new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2),
        ClientAuth.NONE,
        PROTOCOLS,
        false);
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  /** Stops taking calls, waits up to 10 s for those in flight, then stops its threads. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    threads.shutdownNow();
    probes.shutdownNow();
    loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    log.info("Inference gRPC endpoint on {} stopped", address);
  }
}

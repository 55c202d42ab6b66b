package io.weft.serving.internals;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.weft.core.http.HttpServerSecurity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The inference service's HTTP/1.1 server, on Netty's NIO transport: its event loops ({@code
 * weft-serving-io-N}) read and write, each connection through its {@link HttpConnection}, and the
 * workers given answer the requests, so that a slow forward pass holds up no other connection.
 * HTTPS with the TLS context given (TLS 1.3 or 1.2, no client certificate).
 */
public final class NettyHttpServer implements AutoCloseable {

  /** How long a connection with no request in flight is kept open without traffic. */
  static final Duration IDLE = Duration.ofSeconds(30);

  /** How long the answers made when the server closes get to be written. */
  static final Duration WRITE_GRACE = Duration.ofSeconds(5);

  private static final int MAX_CHUNK = 64 * 1024;

  private final EventLoopGroup loops;
  private final Channel listener;
  private final Set<Channel> connections;
  private final InFlight inFlight;

  private NettyHttpServer(
      EventLoopGroup loops, Channel listener, Set<Channel> connections, InFlight inFlight) {
    this.loops = loops;
    this.listener = listener;
    this.connections = connections;
    this.inFlight = inFlight;
  }

  /**
   * Listens on {@code address}, answering each request with {@code handler} on {@code workers}.
   *
   * @param tls the TLS context for HTTPS, or null for plain HTTP
   * @param maxRequestBytes the largest body read ({@code serve.max.request.bytes})
   * @throws IOException if the address cannot be bound
   */
  public static NettyHttpServer bind(
      InetSocketAddress address,
      SSLContext tls,
      InferenceHandler handler,
      Executor workers,
      int maxRequestBytes)
      throws IOException {
    SslContext ssl = tls == null ? null : sslContext(tls);
    InFlight inFlight = new InFlight();
    Set<Channel> connections = ConcurrentHashMap.newKeySet();
    EventLoopGroup loops =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            ServingThreads.named("weft-serving-io-"),
            NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    connections.add(channel);
                    channel.closeFuture().addListener(closed -> connections.remove(channel));
                    ChannelPipeline pipeline = channel.pipeline();
                    if (ssl != null) {
                      pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
                    }
                    pipeline.addLast(
                        "idle", new IdleStateHandler(0, 0, IDLE.toSeconds(), TimeUnit.SECONDS));
                    pipeline.addLast("http", new HttpServerCodec(decoderConfig()));
                    pipeline.addLast(
                        "serving", new HttpConnection(handler, workers, maxRequestBytes, inFlight));
                  }
                });
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
      Throwable cause = bound.cause();
      throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    }
    return new NettyHttpServer(loops, bound.channel(), connections, inFlight);
  }

  /**
   * The codec's limits: {@link HeadLimits}' read limits on the head, which {@link HeadLimits#check}
   * holds to its own lower ones after; body parts of up to 64 KiB.
   */
  private static HttpDecoderConfig decoderConfig() {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(HeadLimits.READ_MAX_LINE)
        .setMaxHeaderSize(HeadLimits.READ_MAX_HEAD)
        .setMaxChunkSize(MAX_CHUNK)
        .setHeadersFactory(new ServingHeaders());
  }

  /** Netty's TLS over the JDK's {@code tls}, as Weft's other HTTP servers speak it. */
  private static SslContext sslContext(SSLContext tls) {
    return new JdkSslContext(
        tls,
        false,
        null,
        IdentityCipherSuiteFilter.INSTANCE,
        null,
        ClientAuth.NONE,
        HttpServerSecurity.tlsProtocols().toArray(String[]::new),
        false);
  }

  /** The address listened on, with the port bound. */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /**
   * Stops listening; a request that comes on a connection still open is answered 503 and the
   * connection closed.
   */
  public void stopAccepting() {
    inFlight.stop();
    listener.close().awaitUninterruptibly();
  }

  /**
   * Stops listening, gives the answers being made {@link #WRITE_GRACE} to be written, then closes
   * every connection and stops the event loops. Stop the workers first: their answers are written
   * here.
   */
  @Override
  public void close() {
    stopAccepting();
    try {
      inFlight.awaitNone(WRITE_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connections.forEach(Channel::close);
    loops.shutdownGracefully(0, WRITE_GRACE.toSeconds(), TimeUnit.SECONDS).awaitUninterruptibly();
  }
}

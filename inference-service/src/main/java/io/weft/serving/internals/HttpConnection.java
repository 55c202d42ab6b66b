package io.weft.serving.internals;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the {@link NettyHttpServer}, on its event loop: makes a {@link
 * ServingRequest} of each request the codec reads, its body held to {@code
 * serve.max.request.bytes}, has the workers answer it and writes the answer back.
 *
 * <p>One request is answered at a time, in the order they came (HTTP/1.1 pipelining): while one is
 * answered, what the client sent behind it waits, and no more is read. A body over the limit is
 * refused as soon as that is known, before the rest is read; that answer closes the connection, and
 * what the client is still sending of the body is read and dropped first, at most {@value
 * #DRAIN_FACTOR} times the limit and for {@link #DRAIN_TIMEOUT}: a connection closed with bytes
 * unread is reset, and the client would lose its answer. A head the codec refuses (over {@link
 * HeadLimits}' read limits, malformed) is answered and the connection closed the same way.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);

  /** How many times {@code serve.max.request.bytes} of a refused body are read after answering. */
  static final long DRAIN_FACTOR = 4;

  /** How long the rest of a refused request is waited for after its answer, at most. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private final InferenceHandler handler;
  private final Executor workers;
  private final int maxRequestBytes;
  private final InFlight inFlight;

  // the rest is touched on the connection's event loop only
  /** What the codec read and this has not taken yet, in order. */
  private final ArrayDeque<HttpObject> backlog = new ArrayDeque<>();

  /** The request whose body is being read, or null. */
  private Reading reading;

  /** Whether a request is with the workers, its answer not written yet. */
  private boolean answering;

  /** Whether the connection closes after the answer being made: no more requests are taken. */
  private boolean closing;

  /** Bytes of a refused request still to read and drop, or -1 if none are expected. */
  private long drainLeft = -1;

  private record Reading(HttpRequest head, BoundedBody body) {}

  HttpConnection(
      InferenceHandler handler, Executor workers, int maxRequestBytes, InFlight inFlight) {
    this.handler = handler;
    this.workers = workers;
    this.maxRequestBytes = maxRequestBytes;
    this.inFlight = inFlight;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpObject part) {
      backlog.add(part);
      proceed(ctx);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Takes what the client sent, in order, as far as it can be taken now, and reads on only if more
   * can be taken: not while a request is answered, unless the connection is closing and what comes
   * is dropped.
   */
  private void proceed(ChannelHandlerContext ctx) {
    while (!backlog.isEmpty() && (closing || !answering)) {
      HttpObject part = backlog.poll();
      try {
        take(ctx, part);
      } finally {
        ReferenceCountUtil.release(part);
      }
    }
    ctx.channel().config().setAutoRead(closing ? drainLeft >= 0 : !answering);
  }

  private void take(ChannelHandlerContext ctx, HttpObject part) {
    if (drainLeft >= 0 && part instanceof HttpContent content) {
      drain(ctx, content);
      return;
    }
    if (closing) {
      return; // what follows the request the connection closes after is dropped
    }
    if (part.decoderResult().isFailure()) {
      malformed(ctx, part.decoderResult().cause());
    } else if (part instanceof HttpRequest head) {
      begin(ctx, head);
    } else if (part instanceof HttpContent content && reading != null) {
      append(ctx, content);
    }
  }

  /** A request's head: refused at once if its body is announced over the limit. */
  private void begin(ChannelHandlerContext ctx, HttpRequest head) {
    boolean expectsContinue = HttpUtil.is100ContinueExpected(head);
    if (inFlight.isStopping()) {
      refuseNow(
          ctx, head.protocolVersion(), HttpProblem.unavailable("the server is shutting down"));
      return;
    }
    long length = HttpUtil.getContentLength(head, -1L);
    Optional<HttpProblem> tooLarge = BoundedBody.refuse(length, maxRequestBytes);
    if (tooLarge.isPresent()) {
      // the client that expects 100 Continue sends no body
      refuseBody(ctx, head, tooLarge.get(), !expectsContinue);
      return;
    }
    if (expectsContinue) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    reading = new Reading(head, new BoundedBody(length, maxRequestBytes));
  }

  /** A part of the body: the request is answered once it is whole, or refused once too large. */
  private void append(ChannelHandlerContext ctx, HttpContent content) {
    HttpRequest head = reading.head();
    boolean last = content instanceof LastHttpContent;
    try {
      reading.body().add(content.content().nioBuffer());
    } catch (HttpProblem tooLarge) {
      reading = null;
      refuseBody(ctx, head, tooLarge, !last);
      return;
    }
    if (last) {
      byte[] body = reading.body().bytes();
      reading = null;
      closing = !HttpUtil.isKeepAlive(head);
      dispatch(
          ctx,
          head.protocolVersion(),
          ServingRequest.of(head.method().name(), head.uri(), head.headers(), body));
    }
  }

  /**
   * Has the workers answer {@code head} without its body, refused for {@code problem}, and closes
   * the connection after the answer, having dropped what follows of the body if {@code more} may.
   */
  private void refuseBody(
      ChannelHandlerContext ctx, HttpRequest head, HttpProblem problem, boolean more) {
    closing = true;
    drainLeft = more ? DRAIN_FACTOR * maxRequestBytes : -1;
    dispatch(
        ctx,
        head.protocolVersion(),
        ServingRequest.bodyRefused(head.method().name(), head.uri(), head.headers(), problem));
  }

  /** A head or chunk the codec could not read: answered, and the connection closed. */
  private void malformed(ChannelHandlerContext ctx, Throwable cause) {
    reading = null;
    if (cause instanceof PrematureChannelClosureException) {
      return; // the client left in the middle of a head
    }
    log.debug("Malformed request on {}: {}", ctx.channel().remoteAddress(), cause.toString());
    refuseNow(ctx, HttpVersion.HTTP_1_1, problem(cause));
  }

  /**
   * Answers {@code problem} on the event loop, not asking the workers, and closes the connection
   * after it, having dropped what the client still sends for a while.
   */
  private void refuseNow(ChannelHandlerContext ctx, HttpVersion version, HttpProblem problem) {
    closing = true;
    drainLeft = DRAIN_FACTOR * maxRequestBytes;
    answering = true;
    inFlight.begin();
    write(ctx, version, handler.refuse(problem), true);
  }

  /** What a head the codec refused is answered with: the limit it passed, else 400. */
  static HttpProblem problem(Throwable cause) {
    if (cause instanceof ServingHeaders.TooManyHeaders) {
      return HeadLimits.tooManyHeaders();
    }
    if (cause instanceof TooLongHttpLineException) {
      return HeadLimits.lineTooLong();
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return HeadLimits.headTooLarge();
    }
    return HttpProblem.badRequest("malformed request: " + cause.getMessage());
  }

  /** Drops a part of a refused body; once the body ends or the budget does, reads no more. */
  private void drain(ChannelHandlerContext ctx, HttpContent content) {
    drainLeft -= content.content().readableBytes();
    if (content instanceof LastHttpContent || drainLeft <= 0) {
      drainLeft = -1;
      if (!answering) {
        ctx.close(); // answered already
      }
    }
  }

  private void dispatch(ChannelHandlerContext ctx, HttpVersion version, ServingRequest request) {
    boolean close = closing;
    answering = true;
    inFlight.begin();
    if (isHealthProbe(request)) {
      // answered here: a probe must not wait behind forward passes for a worker
      reply(ctx, version, answer(request), close);
      return;
    }
    if (handler.isQuick(request)) {
      // parsed and queued here: a request for a batched model only waits for its batch (should
      // the model stop being batched meanwhile, its forward pass still runs on a worker)
      reply(ctx, version, answer(() -> handler.handle(request, workers)), close);
      return;
    }
    try {
      workers.execute(() -> reply(ctx, version, answer(request), close));
    } catch (RejectedExecutionException e) {
      closing = true;
      write(
          ctx,
          version,
          handler.refuse(HttpProblem.unavailable("the server is shutting down")),
          true);
    }
  }

  /**
   * Whether {@code request} is a liveness or readiness probe, which reads only in-memory state and
   * needs no token: cheap enough for the event loop.
   */
  static boolean isHealthProbe(ServingRequest request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return false;
    }
    String target = request.target();
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    return path.equals("/v2/health/live") || path.equals("/v2/health/ready");
  }

  /** {@code request}'s answer; failed only if the handler failed beyond answering 500. */
  private CompletableFuture<ServingResponse> answer(ServingRequest request) {
    return answer(() -> handler.handle(request));
  }

  private static CompletableFuture<ServingResponse> answer(
      Supplier<CompletableFuture<ServingResponse>> handling) {
    try {
      return handling.get();
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Has the event loop write {@code response} once it is complete. */
  private void reply(
      ChannelHandlerContext ctx,
      HttpVersion version,
      CompletableFuture<ServingResponse> response,
      boolean close) {
    response.whenComplete(
        (answered, failure) -> {
          Runnable writing =
              () -> {
                if (answered == null) {
                  ctx.close(); // the handler failed beyond answering 500
                  answered(ctx, false, true);
                } else {
                  write(ctx, version, answered, close);
                }
              };
          if (ctx.executor().inEventLoop()) {
            writing.run();
            return;
          }
          try {
            ctx.executor().execute(writing);
          } catch (RejectedExecutionException e) {
            inFlight.end(); // the server's event loops are gone, and the connection with them
          }
        });
  }

  private void write(
      ChannelHandlerContext ctx, HttpVersion version, ServingResponse response, boolean close) {
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            version,
            HttpResponseStatus.valueOf(response.status()),
            Unpooled.wrappedBuffer(response.body(), response.tail()));
    response.headers().forEach(out.headers()::set);
    HttpUtil.setContentLength(out, response.contentLength());
    HttpUtil.setKeepAlive(out, !close);
    ctx.writeAndFlush(out).addListener(written -> answered(ctx, written.isSuccess(), close));
  }

  /** The answer is written (or failed to be): takes the next request, or closes. */
  private void answered(ChannelHandlerContext ctx, boolean written, boolean close) {
    inFlight.end();
    answering = false;
    if (!written) {
      ctx.close();
    } else if (close && drainLeft < 0) {
      ctx.close();
    } else {
      if (close) {
        // the client may still be sending what was refused: drop it a while, then close
        ctx.executor().schedule(() -> ctx.close(), DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      proceed(ctx);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      if (!answering) {
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    backlog.forEach(ReferenceCountUtil::release);
    backlog.clear();
    reading = null;
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}

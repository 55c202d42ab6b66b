package io.weft.core.metrics;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.common.WeftException;
import io.weft.core.http.AccessRule;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.http.Scope;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A small HTTP server for a process with no other port (a worker): {@code GET /metrics}, and {@code
 * GET /health}. One thread: Prometheus scrapes every few seconds. Secured as its component's {@code
 * weft.http.*} settings say ({@link HttpServerSecurity}): with tokens, {@code /metrics} needs the
 * read scope and {@code /health} stays open; refusals are counted in {@code weft.http.refused}.
 */
public final class MetricsServer implements AutoCloseable {

  private final HttpServer server;

  /** Which scope each path needs, when tokens are required: all but {@code /health} read. */
  static final AccessRule ACCESS =
      (method, path) -> path.equals("/health") ? Optional.empty() : Optional.of(Scope.READ);

  private final String scheme;

  private MetricsServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
  }

  /** Listens on {@code host:port} (0: a free port), plain HTTP, open. */
  public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry) {
    return start(host, port, registry, HttpServerSecurity.none());
  }

  /** Listens on {@code host:port} (0: a free port), secured by {@code security}. */
  public static MetricsServer start(
      String host, int port, PrometheusMeterRegistry registry, HttpServerSecurity security) {
    try {
      HttpServer server = security.bind(new InetSocketAddress(host, port));
      HttpContext context = server.createContext("/", exchange -> handle(exchange, registry));
      Consumer<String> refused =
          reason -> WeftMeters.HTTP_REFUSED.counter(registry, reason).increment();
      security.auth(ACCESS).ifPresent(auth -> context.getFilters().add(auth.filter(refused)));
      server.setExecutor(
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "weft-metrics");
                t.setDaemon(true);
                return t;
              }));
      server.start();
      return new MetricsServer(server, security.scheme());
    } catch (IOException e) {
      throw new WeftException(
          "Cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(exchange.getRequestMethod())) {
        plain(exchange, 405, "only GET is supported\n");
      } else if (path.equals("/metrics")) {
        MetricsEndpoint.respond(exchange, registry);
      } else if (path.equals("/health")) {
        plain(exchange, 200, "ok\n");
      } else {
        plain(exchange, 404, "no such path: " + path + " (try /metrics)\n");
      }
    }
  }

  private static void plain(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port}, or {@code https://} with TLS. */
  public String url() {
    return scheme + "://" + server.getAddress().getHostString() + ":" + port();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

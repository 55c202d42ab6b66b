package io.weft.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.common.WeftException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A small HTTP server for a process with no other port (a worker): {@code GET /metrics}, and {@code
 * GET /health}. One thread: Prometheus scrapes every few seconds.
 */
public final class MetricsServer implements AutoCloseable {

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code host:port} (0: a free port). */
  public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.createContext("/", exchange -> handle(exchange, registry));
      server.setExecutor(
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "weft-metrics");
                t.setDaemon(true);
                return t;
              }));
      server.start();
      return new MetricsServer(server);
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

  /** {@code http://host:port}. */
  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + port();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

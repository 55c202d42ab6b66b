package io.weft.schemas.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Test kit: an HTTP server on a free loopback port that answers each {@code METHOD path} with a
 * canned status and body, and records the requests it received, over HTTP or HTTPS. For unit tests
 * of the client's protocol handling; integration tests use the real registry.
 */
final class FakeRegistryServer implements AutoCloseable {

  record Answer(int status, String body) {}

  record Request(String method, String path, Map<String, List<String>> headers, String body) {}

  private final HttpServer server;
  private final String scheme;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeRegistryServer() throws IOException {
    this(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
  }

  private FakeRegistryServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * A server on {@code address} speaking TLS with {@code tls}'s certificate; with {@code
   * needClientAuth}, it refuses clients without a certificate its authority signed.
   */
  static FakeRegistryServer https(InetAddress address, SSLContext tls, boolean needClientAuth)
      throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = tls.getDefaultSSLParameters();
            parameters.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(parameters);
          }
        });
    return new FakeRegistryServer(server, "https");
  }

  FakeRegistryServer answer(String method, String path, int status, String body) {
    answers.put(method + " " + path, new Answer(status, body));
    return this;
  }

  String url() {
    return scheme
        + "://"
        + server.getAddress().getAddress().getHostAddress()
        + ":"
        + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            Map.copyOf(exchange.getRequestHeaders()),
            body));
    Answer answer =
        answers.getOrDefault(
            key, new Answer(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"));
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

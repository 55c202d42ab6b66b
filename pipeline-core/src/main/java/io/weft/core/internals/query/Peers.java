package io.weft.core.internals.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.weft.common.WeftException;
import io.weft.core.http.HttpClientSecurity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query API's calls to the coordinator's other instances (a run another instance owns, the runs
 * and counts of all): over the API's own scheme, trusting what {@code weft.http.tls.truststore.*}
 * says, and carrying the caller's {@code Authorization} header, so that the instance that answers
 * checks the caller's token and scope as this one did.
 */
final class Peers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String scheme;

  Peers(String scheme, HttpClientSecurity security) {
    this.scheme = scheme;
    this.http =
        security.configure(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))).build();
  }

  /**
   * {@code pathAndQuery} of the instance at {@code host}, with the caller's {@code authorization}
   * (null if it sent none).
   */
  HttpResponse<String> get(String authorization, HostInfo host, String pathAndQuery)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(scheme + "://" + host.host() + ":" + host.port() + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + host, e);
    }
  }

  /**
   * The JSON answer of the instance at {@code host} to {@code pathAndQuery}, with the caller's
   * {@code authorization}.
   *
   * @throws WeftException if it answers anything but 200 (the caller gets a 503 naming it)
   */
  JsonNode gather(String authorization, HostInfo host, String pathAndQuery) throws IOException {
    HttpResponse<String> response = get(authorization, host, pathAndQuery);
    if (response.statusCode() != 200) {
      throw new WeftException(
          "the coordinator instance at "
              + host.host()
              + ":"
              + host.port()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Answers {@code exchange} with what the instance at {@code host} answers. */
  void forward(HttpExchange exchange, HostInfo host, String pathAndQuery) throws IOException {
    HttpResponse<String> response = get(authorization(exchange), host, pathAndQuery);
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    response
        .headers()
        .firstValue("WWW-Authenticate")
        .ifPresent(challenge -> exchange.getResponseHeaders().set("WWW-Authenticate", challenge));
    exchange.sendResponseHeaders(response.statusCode(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The {@code Authorization} header {@code caller} sent, or null. */
  static String authorization(HttpExchange caller) {
    return caller.getRequestHeaders().getFirst("Authorization");
  }
}

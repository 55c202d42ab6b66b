package io.weft.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /metrics} of a Weft component: the registry in the format the scraper asks for in its
 * {@code Accept} header (Prometheus text 0.0.4 by default, OpenMetrics text, or Prometheus'
 * protobuf format).
 */
public final class MetricsEndpoint {

  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";

  private MetricsEndpoint() {}

  /**
   * The content type to answer a scrape whose {@code Accept} header is {@code accept} (null if
   * none) with; pass it to {@link PrometheusMeterRegistry#scrape(java.io.OutputStream, String)}.
   */
  public static String contentType(String accept) {
    if (accept == null) {
      return TEXT;
    }
    if (accept.contains("application/vnd.google.protobuf")) {
      return PROTOBUF;
    }
    if (accept.contains("application/openmetrics-text")) {
      return OPENMETRICS;
    }
    return TEXT;
  }

  /** Answers {@code exchange} with a scrape of {@code registry}. */
  public static void respond(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    String contentType = contentType(exchange.getRequestHeaders().getFirst("Accept"));
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    registry.scrape(body, contentType);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(200, body.size());
    try (OutputStream out = exchange.getResponseBody()) {
      body.writeTo(out);
    }
  }
}

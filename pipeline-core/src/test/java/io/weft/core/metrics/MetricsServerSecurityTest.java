package io.weft.core.metrics;

import static io.weft.core.testing.HttpSecurityKit.READER;
import static io.weft.core.testing.HttpSecurityKit.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.http.TokenStore;
import io.weft.core.testing.HttpSecurityKit;
import io.weft.embedded.LocalPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's metrics server over HTTPS with tokens: the scrape needs read, the probe nothing. */
class MetricsServerSecurityTest {

  @TempDir Path dir;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private MetricsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldServeTheScrapeOverHttpsOnlyToAReader() throws Exception {
    // given
    LocalPki pki = LocalPki.create(dir.resolve("pki"));
    HttpServerSecurity security =
        HttpServerSecurity.of(
            pki.sslContext("worker"), TokenStore.open(HttpSecurityKit.tokenFile(dir)));
    server = MetricsServer.start("127.0.0.1", 0, registry, security);
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(pki.sslContext(null))
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    // when
    HttpResponse<String> health = get(http, "/health", null);
    HttpResponse<String> anonymous = get(http, "/metrics", null);
    HttpResponse<String> writer = get(http, "/metrics", WRITER);
    HttpResponse<String> reader = get(http, "/metrics", READER);

    // then
    assertThat(server.url()).startsWith("https://");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"weft\"");
    assertThat(writer.statusCode()).isEqualTo(403);
    assertThat(reader.statusCode()).isEqualTo(200);
    assertThat(reader.body())
        .contains("weft_http_refused_total{reason=\"unauthenticated\"} 1.0")
        .contains("weft_http_refused_total{reason=\"forbidden\"} 1.0");
  }

  private HttpResponse<String> get(HttpClient http, String path, String token) throws Exception {
    return HttpSecurityKit.send(http, "GET", URI.create(server.url() + path), token);
  }
}

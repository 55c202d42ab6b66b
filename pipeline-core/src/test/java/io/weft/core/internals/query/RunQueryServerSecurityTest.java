package io.weft.core.internals.query;

import static io.weft.core.testing.HttpSecurityKit.BOTH;
import static io.weft.core.testing.HttpSecurityKit.READER;
import static io.weft.core.testing.HttpSecurityKit.WRITER;
import static io.weft.core.testing.HttpSecurityKit.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.core.api.WeftTopics;
import io.weft.core.http.HttpClientSecurity;
import io.weft.core.internals.ui.WebUi;
import io.weft.core.testing.HttpSecurityKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The query API and the web UI with tokens required: which scope each endpoint needs, and the 401
 * and 403 answers. No coordinator runs (its queries answer 503), so an answer other than 401 or 403
 * shows that the request got past the tokens; nothing here needs a broker.
 */
class RunQueryServerSecurityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpSecurityKit.client();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private RunQueryServer server;
  private WebUi ui;

  @BeforeEach
  void start() {
    server =
        RunQueryServer.bind("127.0.0.1", 0, HttpSecurityKit.tokens(dir), HttpClientSecurity.none());
    server.serve(null, registry);
    ui =
        WebUi.create(
            Map.of("bootstrap.servers", "127.0.0.1:9", "schema.registry.url", "mock://ui-auth"),
            new WeftTopics(WeftTopics.DEFAULT_PREFIX),
            Duration.ZERO);
    server.serveUi(ui);
  }

  @AfterEach
  void stop() {
    server.close();
    ui.close();
  }

  private HttpResponse<String> send(String method, String path, String token) throws Exception {
    return HttpSecurityKit.send(http, method, URI.create(server.url() + path), token);
  }

  @ParameterizedTest(name = "{0} {1} with {2}: {3}")
  @CsvSource({
    // probes and the UI's pages are open
    "GET, /health, none, 503",
    "GET, /ui/, none, 200",
    "GET, /ui/app.js, none, 200",
    // reading needs read
    "GET, /runs, none, 401",
    "GET, /runs, writer, 403",
    "GET, /runs, reader, 503",
    "GET, /runs/r1, reader, 503",
    "GET, /run-counts, writer, 403",
    "GET, /definitions/flow:1, none, 401",
    "GET, /metrics, none, 401",
    "GET, /metrics, reader, 200",
    "GET, /ui/api/models, none, 401",
    "GET, /ui/api/events, writer, 403",
    "GET, /ui/api/nothing, reader, 404",
    // acting needs write (415: past the tokens, refused for its missing JSON content type)
    "POST, /ui/api/runs/r1/cancel, none, 401",
    "POST, /ui/api/runs/r1/cancel, reader, 403",
    "POST, /ui/api/runs/r1/cancel, writer, 415",
    "POST, /ui/api/runs/r1/retry, reader, 403",
    "POST, /ui/api/runs/r1/pause, both, 415",
    "POST, /ui/api/models/mnist/promote, reader, 403",
    "POST, /ui/api/models/mnist/rollback, writer, 415",
    // a method no endpoint answers is refused before it learns so
    "POST, /runs, none, 401",
    "POST, /runs, reader, 405",
    // other spellings of the UI's API: checked as that path, or answered by nothing
    "GET, /ui/%61pi/models, none, 401",
    "POST, /ui/%61pi/runs/r1/cancel, reader, 403",
    "HEAD, /ui/api/models, none, 401",
    "GET, /ui//api/models, none, 404",
    "post, /ui/api/runs/r1/cancel, reader, 405",
  })
  void shouldAskEachEndpointsScope(String method, String path, String who, int status)
      throws Exception {
    // given
    String token =
        switch (who) {
          case "reader" -> READER;
          case "writer" -> WRITER;
          case "both" -> BOTH;
          default -> null;
        };

    // when
    HttpResponse<String> response = send(method, path, token);

    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
  }

  @Test
  void shouldAnswer401WithABearerChallengeAndAJsonError() throws Exception {
    // when
    HttpResponse<String> none = send("GET", "/runs?limit=5", null);
    HttpResponse<String> invalid = send("GET", "/runs", "no-such-token-0123456789");

    // then
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"weft\"");
    assertThat(none.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(JSON.readTree(none.body()))
        .isEqualTo(
            JSON.createObjectNode()
                .put(
                    "error",
                    "GET /runs needs a bearer token with the read scope"
                        + " (Authorization: Bearer <token>)"));
    assertThat(invalid.statusCode()).isEqualTo(401);
    assertThat(invalid.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"weft\", error=\"invalid_token\"");
    assertThat(JSON.readTree(invalid.body()).get("error").asText())
        .isEqualTo("the bearer token is not valid");
  }

  @Test
  void shouldAnswer403NamingTheTokenAndTheScope() throws Exception {
    // when
    HttpResponse<String> response = send("POST", "/ui/api/runs/r1/cancel", READER);

    // then
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"weft\", error=\"insufficient_scope\", scope=\"write\"");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("error").asText())
        .isEqualTo(
            "token 'reader' does not hold the write scope that POST /ui/api/runs/r1/cancel needs");
    assertThat(response.body()).doesNotContain(READER);
  }

  @Test
  void shouldCountRefusalsByReason() throws Exception {
    // when
    send("GET", "/runs", null);
    send("GET", "/runs", "no-such-token-0123456789");
    send("GET", "/runs", WRITER);

    // then
    assertThat(refused("unauthenticated")).isEqualTo(2);
    assertThat(refused("forbidden")).isEqualTo(1);
  }

  private double refused(String reason) {
    return registry.find("weft.http.refused").tag("reason", reason).functionCounter().count();
  }

  @Test
  void shouldAskForNoTokenWithoutATokenFile() throws Exception {
    // given: the default, plain HTTP and open
    try (RunQueryServer open = RunQueryServer.bind("127.0.0.1", 0)) {

      // when
      HttpResponse<String> response =
          HttpSecurityKit.send(http, "GET", URI.create(open.url() + "/runs"), null);

      // then
      assertThat(open.url()).startsWith("http://");
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }
  }
}

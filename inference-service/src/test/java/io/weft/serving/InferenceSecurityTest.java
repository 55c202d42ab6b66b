package io.weft.serving;

import static io.weft.core.testing.HttpSecurityKit.BOTH;
import static io.weft.core.testing.HttpSecurityKit.READER;
import static io.weft.core.testing.HttpSecurityKit.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.http.HttpSettings;
import io.weft.core.testing.HttpSecurityKit;
import io.weft.core.testing.LogCapture;
import io.weft.embedded.LocalPki;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The inference service with tokens required (and over HTTPS): which scope each endpoint needs, the
 * 401 and 403 answers and their counts, the handshake, and logs without tokens. One server with
 * tokens answers the requests of the first tests; the last two start their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceSecurityTest {

  @TempDir static Path dir;

  private final ServingFixture secured = new ServingFixture();
  private final ServingFixture serving = new ServingFixture();

  @BeforeAll
  void serveWithTokens() {
    serveWithTokens(secured);
  }

  private void serveWithTokens(ServingFixture fixture) {
    fixture.serve(
        "mnist",
        1,
        Map.of(HttpSettings.AUTH_TOKENS_FILE_CONFIG, HttpSecurityKit.tokenFile(dir).toString()));
  }

  @AfterEach
  void stop() {
    serving.close();
  }

  @AfterAll
  void stopSecured() {
    secured.close();
  }

  private HttpResponse<String> send(String method, String path, String token) throws Exception {
    return send(secured, method, path, token);
  }

  private static HttpResponse<String> send(
      ServingFixture fixture, String method, String path, String token) throws Exception {
    HttpRequest.Builder request = fixture.request(path);
    if (method.equals("POST")) {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(ServingFixture.oneRow("[1,2,3,4]")));
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return fixture.send(request);
  }

  @ParameterizedTest(name = "{0} {1} with {2}: {3}")
  @CsvSource({
    "GET, /v2/health/live, none, 200",
    "GET, /v2/health/ready, none, 200",
    "GET, /v2, none, 401",
    "GET, /v2, writer, 403",
    "GET, /v2, reader, 200",
    "GET, /v2/models/mnist, none, 401",
    "GET, /v2/models/mnist, reader, 200",
    "GET, /v2/models/mnist/versions/1/ready, writer, 403",
    "GET, /v2/models/mnist/ready, reader, 200",
    "GET, /metrics, none, 401",
    "GET, /metrics, reader, 200",
    "POST, /v2/models/mnist/infer, none, 401",
    "POST, /v2/models/mnist/infer, reader, 403",
    "POST, /v2/models/mnist/infer, writer, 200",
    "POST, /v2/models/mnist/versions/1/infer, both, 200",
    "GET, /v2/models/mnist/infer, reader, 405",
    "GET, /v2/nothing, none, 401",
    "GET, /v2/nothing, reader, 404",
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
  void shouldAnswerRefusalsWithAChallengeAndAJsonErrorAndCountThem() throws Exception {
    // given
    double unauthenticated = secured.refused("unauthenticated");
    double forbidden = secured.refused("forbidden");

    // when
    HttpResponse<String> anonymous = send("POST", "/v2/models/mnist/infer", null);
    HttpResponse<String> invalid = send("POST", "/v2/models/mnist/infer", "no-such-0123456789ab");
    HttpResponse<String> reader = send("POST", "/v2/models/mnist/infer", READER);

    // then
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"weft\"");
    assertThat(ServingFixture.json(anonymous).get("error").asText())
        .isEqualTo(
            "POST /v2/models/mnist/infer needs a bearer token with the write scope"
                + " (Authorization: Bearer <token>)");
    assertThat(invalid.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"weft\", error=\"invalid_token\"");
    assertThat(reader.statusCode()).isEqualTo(403);
    assertThat(reader.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"weft\", error=\"insufficient_scope\", scope=\"write\"");
    assertThat(ServingFixture.json(reader).get("error").asText())
        .isEqualTo(
            "token 'reader' does not hold the write scope that POST /v2/models/mnist/infer"
                + " needs");
    assertThat(secured.refused("unauthenticated") - unauthenticated).isEqualTo(2);
    assertThat(secured.refused("forbidden") - forbidden).isEqualTo(1);
  }

  @Test
  void shouldServeHttpsToAClientThatTrustsTheAuthorityOnly() throws Exception {
    // given
    LocalPki pki = LocalPki.create(dir.resolve("pki"));
    serving.serve(
        "mnist",
        1,
        Map.of(
            HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG,
            pki.keyStore("inference").toString(),
            HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG,
            pki.password()));
    HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(pki.sslContext(null))
            .connectTimeout(ServingFixture.TIMEOUT)
            .build();
    HttpRequest live = serving.request("/v2/health/live").build();

    // when
    HttpResponse<String> response = trusting.send(live, HttpResponse.BodyHandlers.ofString());

    // then
    assertThat(serving.server().uri().getScheme()).isEqualTo("https");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> serving.http.send(live, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void shouldLogNoToken() throws Exception {
    // given
    LogCapture log = new LogCapture();
    log.start();
    try {
      serveWithTokens(serving);

      // when
      send(serving, "POST", "/v2/models/mnist/infer", READER);
      send(serving, "POST", "/v2/models/mnist/infer", WRITER);
      send(serving, "GET", "/v2", "no-such-0123456789ab");

      // then
      assertThat(log.text()).contains("Inference server listening on");
      for (String token : new String[] {READER, WRITER, "no-such-0123456789ab"}) {
        assertThat(log.text()).doesNotContain(token);
      }
    } finally {
      log.stop();
    }
  }
}

package io.weft.core.api;

import static io.weft.core.testing.HttpSecurityKit.READER;
import static io.weft.core.testing.HttpSecurityKit.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.http.HttpSettings;
import io.weft.core.http.Scope;
import io.weft.core.http.TokenStore;
import io.weft.core.testing.HttpSecurityKit;
import io.weft.core.testing.ManualTime;
import io.weft.embedded.LocalPki;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a query API over HTTPS that asks for tokens: it trusts the authority of its
 * trust store, sends its token, and stops waiting at once when it is refused.
 */
class WeftClientSecurityTest {

  @TempDir Path dir;

  private final ManualTime time = new ManualTime();
  private final AtomicInteger answered = new AtomicInteger();
  private LocalPki pki;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    pki = LocalPki.create(dir.resolve("pki"));
    HttpServerSecurity security =
        HttpServerSecurity.of(
            pki.sslContext("coordinator"), TokenStore.open(HttpSecurityKit.tokenFile(dir)));
    server = security.bind(new InetSocketAddress("127.0.0.1", 0));
    HttpContext runs =
        server.createContext(
            "/runs/",
            exchange -> {
              answered.incrementAndGet();
              exchange.sendResponseHeaders(404, -1);
              exchange.close();
            });
    security
        .auth((method, path) -> Optional.of(Scope.READ))
        .ifPresent(auth -> runs.getFilters().add(auth.filter(reason -> {})));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private WeftClient client(String token) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", "127.0.0.1:9");
    settings.put("schema.registry.url", "mock://client-security");
    settings.put("weft.query.url", "https://127.0.0.1:" + server.getAddress().getPort());
    settings.put(HttpSettings.TLS_TRUSTSTORE_LOCATION_CONFIG, pki.trustStore().toString());
    settings.put(HttpSettings.TLS_TRUSTSTORE_PASSWORD_CONFIG, pki.password());
    if (token != null) {
      settings.put(HttpSettings.QUERY_TOKEN_CONFIG, token);
    }
    return WeftClient.create(settings, time);
  }

  @Test
  void shouldQueryOverHttpsWithItsToken() {
    // given
    try (WeftClient client = client(READER)) {

      // when
      Optional<RunView> run = client.status("run-1");

      // then: the API answered (the run is unknown)
      assertThat(run).isEmpty();
      assertThat(answered.get()).isEqualTo(1);
    }
  }

  @Test
  void shouldStopWaitingAtOnceWithoutAValidTokenOrTheScope() {
    // given
    long start = time.milliseconds();
    try (WeftClient anonymous = client(null);
        WeftClient writer = client(WRITER)) {

      // when / then
      assertThatThrownBy(() -> anonymous.awaitCompletion("run-1", Duration.ofMinutes(5)))
          .isInstanceOfSatisfying(
              QueryAccessException.class, e -> assertThat(e.status()).isEqualTo(401))
          .hasMessageContaining("set weft.query.token or weft.query.token.file");
      assertThatThrownBy(() -> writer.status("run-1"))
          .isInstanceOfSatisfying(
              QueryAccessException.class, e -> assertThat(e.status()).isEqualTo(403))
          .hasMessageContaining("token 'writer' does not hold the read scope")
          .hasMessageNotContaining(WRITER);
      assertThat(time.milliseconds()).isEqualTo(start);
      assertThat(answered.get()).isZero();
    }
  }
}

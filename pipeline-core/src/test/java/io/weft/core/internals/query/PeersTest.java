package io.weft.core.internals.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.weft.common.WeftException;
import io.weft.core.http.HttpClientSecurity;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.http.HttpSettings;
import io.weft.embedded.LocalPki;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator's calls to another instance over HTTPS: trusting the authority of {@code
 * weft.http.tls.truststore.*}, carrying the caller's token.
 */
class PeersTest {

  @TempDir Path dir;

  private HttpServer other;

  @AfterEach
  void stop() {
    if (other != null) {
      other.stop(0);
    }
  }

  /** Another instance over HTTPS that answers with the Authorization header it got. */
  private HostInfo otherInstance(LocalPki pki, int status) throws Exception {
    other =
        HttpServerSecurity.of(pki.sslContext("coordinator-2"), null)
            .bind(new InetSocketAddress("127.0.0.1", 0));
    other.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = ("\"" + authorization + "\"").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    other.start();
    return new HostInfo("127.0.0.1", other.getAddress().getPort());
  }

  private static Peers peers(LocalPki pki) {
    AbstractConfig config =
        new AbstractConfig(
            HttpSettings.defineTrust(new ConfigDef()),
            Map.of(
                HttpSettings.TLS_TRUSTSTORE_LOCATION_CONFIG,
                pki.trustStore().toString(),
                HttpSettings.TLS_TRUSTSTORE_PASSWORD_CONFIG,
                pki.password()),
            false);
    return new Peers("https", HttpClientSecurity.from(config));
  }

  @Test
  void shouldAskAnotherInstanceOverHttpsWithTheCallersToken() throws Exception {
    // given
    LocalPki pki = LocalPki.create(dir.resolve("pki"));
    HostInfo host = otherInstance(pki, 200);

    // when
    HttpResponse<String> response =
        peers(pki).get("Bearer caller-token-0123456789", host, "/runs?local=true");

    // then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("\"Bearer caller-token-0123456789\"");
  }

  @Test
  void shouldReportAnInstanceThatRefusesTheCaller() throws Exception {
    // given
    LocalPki pki = LocalPki.create(dir.resolve("pki"));
    HostInfo host = otherInstance(pki, 401);

    // when / then: the caller's request fails (503) naming the instance and its answer
    assertThatThrownBy(() -> peers(pki).gather(null, host, "/run-counts?local=true"))
        .isInstanceOf(WeftException.class)
        .hasMessage(
            "the coordinator instance at 127.0.0.1:" + host.port() + " answered 401: \"null\"");
  }
}

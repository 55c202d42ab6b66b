package io.weft.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.weft.embedded.LocalPki;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a key store of a local authority ({@link LocalPki}), and its setting mistakes. */
class HttpServerSecurityTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  private LocalPki pki;
  private HttpServer server;

  @BeforeEach
  void authority() {
    pki = LocalPki.create(dir.resolve("pki"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  static AbstractConfig serverConfig(Map<String, Object> props) {
    return new AbstractConfig(HttpSettings.defineServer(new ConfigDef()), props, false);
  }

  static AbstractConfig clientConfig(Map<String, Object> props) {
    return new AbstractConfig(HttpSettings.defineClient(new ConfigDef()), props, false);
  }

  private Map<String, Object> keyStore(String password) {
    Map<String, Object> props = new HashMap<>();
    props.put(HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG, pki.keyStore("server").toString());
    props.put(HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG, password);
    return props;
  }

  /** Starts a server secured by {@code security} that answers 200 "ok" to everything. */
  private URI serve(HttpServerSecurity security) throws Exception {
    server = security.bind(new InetSocketAddress("127.0.0.1", 0));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
          }
        });
    server.start();
    return URI.create(
        security.scheme() + "://127.0.0.1:" + server.getAddress().getPort() + "/health");
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeHttpsToAClientThatTrustsTheAuthority() throws Exception {
    // given
    HttpServerSecurity security = HttpServerSecurity.from(serverConfig(keyStore(pki.password())));
    URI uri = serve(security);
    HttpClient client =
        HttpClientSecurity.from(
                clientConfig(
                    Map.of(
                        HttpSettings.TLS_TRUSTSTORE_LOCATION_CONFIG,
                        pki.trustStore().toString(),
                        HttpSettings.TLS_TRUSTSTORE_PASSWORD_CONFIG,
                        pki.password())))
            .configure(HttpClient.newBuilder().connectTimeout(TIMEOUT))
            .build();

    // when
    HttpResponse<String> response = get(client, uri);

    // then
    assertThat(uri.getScheme()).isEqualTo("https");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(response.sslSession()).isPresent();
    assertThat(response.sslSession().get().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
  }

  @Test
  void shouldFailTheHandshakeOfAClientThatDoesNotTrustTheAuthority() throws Exception {
    // given: a client with the JDK's trusted authorities only
    URI uri = serve(HttpServerSecurity.from(serverConfig(keyStore(pki.password()))));
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    // when / then
    assertThatThrownBy(() -> get(client, uri)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void shouldServePlainHttpWithoutAKeyStore() throws Exception {
    // when
    HttpServerSecurity security = HttpServerSecurity.from(serverConfig(Map.of()));
    URI uri = serve(security);

    // then
    assertThat(security.isTls()).isFalse();
    assertThat(security.auth((method, path) -> java.util.Optional.empty())).isEmpty();
    assertThat(get(HttpClient.newHttpClient(), uri).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldGiveTheKeyStoresTlsContextToAServerOfAnotherKind() {
    // when
    HttpServerSecurity tls = HttpServerSecurity.from(serverConfig(keyStore(pki.password())));
    HttpServerSecurity plain = HttpServerSecurity.from(serverConfig(Map.of()));

    // then
    assertThat(tls.sslContext())
        .hasValueSatisfying(c -> assertThat(c.getProtocol()).isEqualTo("TLS"));
    assertThat(plain.sslContext()).isEmpty();
    assertThat(HttpServerSecurity.tlsProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
  }

  @Test
  void shouldNameTheSettingOfAKeyStoreItCannotUseAndNotThePassword() {
    // given
    String wrong = "not-the-password-4711";
    Map<String, Object> missing = keyStore(pki.password());
    missing.put(HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG, dir.resolve("nothing.p12").toString());
    Map<String, Object> noPassword = keyStore(pki.password());
    noPassword.remove(HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG);
    Map<String, Object> noStore = Map.of(HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG, pki.password());
    Map<String, Object> trustOnly =
        Map.of(
            HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG,
            pki.trustStore().toString(),
            HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG,
            pki.password());

    // when / then
    assertThatThrownBy(() -> HttpServerSecurity.from(serverConfig(keyStore(wrong))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG)
        .hasMessageContaining("cannot read it as a PKCS12 store")
        .hasMessageNotContaining(wrong);
    assertThatThrownBy(() -> HttpServerSecurity.from(serverConfig(missing)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG)
        .hasMessageContaining("no such file");
    assertThatThrownBy(() -> HttpServerSecurity.from(serverConfig(noPassword)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Missing " + HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG);
    assertThatThrownBy(() -> HttpServerSecurity.from(serverConfig(noStore)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG
                + " is set, but "
                + HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG
                + " is not: set both, or neither")
        .hasMessageNotContaining(pki.password());
    assertThatThrownBy(() -> HttpServerSecurity.from(serverConfig(trustOnly)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds no private key");
  }
}

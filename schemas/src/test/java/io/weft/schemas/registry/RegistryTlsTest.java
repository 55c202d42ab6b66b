package io.weft.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.weft.embedded.LocalPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The registry client over TLS, against an HTTPS server with certificates of a local authority. */
class RegistryTlsTest {

  @TempDir static Path dir;
  private static LocalPki pki;
  private FakeRegistryServer server;

  @BeforeAll
  static void createAuthority() {
    pki = LocalPki.create(dir.resolve("pki"));
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static Stream<Arguments> trustStores() {
    return Stream.of(
        Arguments.of("PKCS12", (Supplier<Path>) () -> pki.trustStore()),
        Arguments.of("JKS", (Supplier<Path>) () -> pki.trustStore()),
        Arguments.of("PEM", (Supplier<Path>) () -> pki.caPem()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trustStores")
  void shouldReachARegistryWhoseAuthorityTheTrustStoreHolds(String type, Supplier<Path> store)
      throws IOException {
    // given: a registry with a certificate of the local authority; JKS is Kafka's and Confluent's
    // default type, and the JDK reads a PKCS12 file under it too
    server = https(false).answer("GET", "/subjects", 200, "[\"a-value\"]");
    RegistryTls tls = RegistryTls.DEFAULT.withTrustStore(store.get(), type, pki.password());

    // when
    List<String> subjects = client(tls).subjects();

    // then
    assertThat(subjects).containsExactly("a-value");
  }

  @Test
  void shouldFailTheHandshakeNamingTheUrlAndTheTrustStoreSettingWhenTheRegistryIsNotTrusted()
      throws IOException {
    // given: the JDK's authorities, which do not include the local one
    server = https(false).answer("GET", "/subjects", 200, "[]");

    // when / then
    assertThatThrownBy(() -> client(RegistryTls.DEFAULT).subjects())
        .isInstanceOf(RegistryHandshakeException.class)
        .hasMessageContaining("GET /subjects failed")
        .hasMessageContaining(server.url())
        .hasMessageContaining("schema.registry.ssl.truststore.location");
  }

  @Test
  void shouldPresentTheKeyStoreCertificateToARegistryThatRequiresOne() throws IOException {
    // given
    server = https(true).answer("GET", "/subjects", 200, "[\"a-value\"]");
    RegistryTls tls =
        trusting()
            .withKeyStore(pki.keyStore("weft-client"), "PKCS12", pki.password(), pki.password());

    // when / then
    assertThat(client(tls).subjects()).containsExactly("a-value");
  }

  @Test
  void shouldBeRefusedNamingTheUrlByARegistryThatRequiresACertificateWhenNoneIsSet()
      throws IOException {
    // given
    server = https(true).answer("GET", "/subjects", 200, "[]");

    // when / then: refused in the handshake, or (TLS 1.3) by closing the connection after it
    assertThatThrownBy(() -> client(trusting()).subjects())
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining(server.url())
        .hasMessageContaining("schema.registry.ssl.keystore.location");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void shouldCheckTheHostNameUnlessTheIdentificationAlgorithmIsEmpty() throws IOException {
    // given: a registry on 127.0.0.2, which its certificate (localhost, 127.0.0.1) does not name
    InetAddress other = InetAddress.getByName("127.0.0.2");
    assumeThat(canBind(other)).as("127.0.0.2 can be bound").isTrue();
    server =
        FakeRegistryServer.https(other, pki.sslContext("schema-registry"), false)
            .answer("GET", "/subjects", 200, "[]");

    // when / then
    assertThatThrownBy(() -> client(trusting()).subjects())
        .isInstanceOf(RegistryHandshakeException.class)
        .hasMessageContaining("127.0.0.2")
        .hasMessageContaining("schema.registry.ssl.endpoint.identification.algorithm");
    assertThat(client(trusting().withHostnameVerification(false)).subjects()).isEmpty();
  }

  @Test
  void shouldNameThePasswordSettingWhenThePasswordDoesNotOpenTheStore() {
    // given
    RegistryTls tls = RegistryTls.DEFAULT.withTrustStore(pki.trustStore(), "PKCS12", "wrong-pw");

    // when / then
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.password")
        .hasMessageContaining(pki.trustStore().toString())
        .hasMessageNotContaining("wrong-pw");
  }

  @Test
  void shouldNameTheLocationSettingWhenTheFileIsMissing() {
    // given
    Path missing = dir.resolve("missing.p12");
    RegistryTls tls = RegistryTls.DEFAULT.withKeyStore(missing, "PKCS12", pki.password(), null);

    // when / then
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.keystore.location")
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file");
  }

  @Test
  void shouldNameTheLocationSettingWhenTheFileIsNoStore() throws IOException {
    // given
    Path text = Files.writeString(dir.resolve("not-a-store.p12"), "hello");
    RegistryTls tls = RegistryTls.DEFAULT.withTrustStore(text, "PKCS12", pki.password());

    // when / then
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageContaining("cannot be read as a PKCS12 store");
  }

  @Test
  void shouldNameTheTypeSettingWhenTheJvmKnowsNoSuchType() {
    // given
    RegistryTls tls = RegistryTls.DEFAULT.withTrustStore(pki.trustStore(), "BKS2", pki.password());

    // when / then
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.type")
        .hasMessageContaining("BKS2");
  }

  @Test
  void shouldNameTheKeyPasswordSettingWhenTheKeyCannotBeRecovered() {
    // given
    RegistryTls tls =
        RegistryTls.DEFAULT.withKeyStore(
            pki.keyStore("weft-client"), "PKCS12", pki.password(), "wrong-key-pw");

    // when / then
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.key.password")
        .hasMessageNotContaining("wrong-key-pw")
        .hasMessageNotContaining(pki.password());
  }

  @Test
  void shouldSayATrustStoreWithoutPasswordShowsNoCertificate() {
    // given: the JDK encrypts a PKCS12 store's certificates, so without the password none is read
    RegistryTls tls = RegistryTls.DEFAULT.withTrustStore(pki.trustStore(), "PKCS12", null);

    // when / then
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageContaining("holds no certificate")
        .hasMessageContaining("schema.registry.ssl.truststore.password");
  }

  @Test
  void shouldNeverShowAPasswordInItsDescription() {
    // given
    RegistryTls tls =
        trusting()
            .withKeyStore(pki.keyStore("weft-client"), "PKCS12", "store-secret", "key-secret");

    // when
    String description = tls.toString();

    // then
    assertThat(description)
        .contains(pki.trustStore().toString(), "PKCS12")
        .doesNotContain(pki.password(), "store-secret", "key-secret");
  }

  private FakeRegistryServer https(boolean needClientAuth) throws IOException {
    return FakeRegistryServer.https(
        InetAddress.getLoopbackAddress(), pki.sslContext("schema-registry"), needClientAuth);
  }

  private static RegistryTls trusting() {
    return RegistryTls.DEFAULT.withTrustStore(pki.trustStore(), "PKCS12", pki.password());
  }

  private SchemaRegistryClient client(RegistryTls tls) {
    return new HttpSchemaRegistryClient(
        List.of(server.url()), Optional.empty(), Duration.ofSeconds(5), tls);
  }

  private static boolean canBind(InetAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

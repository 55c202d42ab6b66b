package io.weft.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.embedded.Directories;
import io.weft.embedded.EmbeddedSchemaRegistry;
import io.weft.embedded.LocalPki;
import io.weft.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry client against the real registry over HTTPS with authentication on: Apicurio with a
 * certificate of a local authority, refusing requests without the user's basic credentials.
 */
class HttpsRegistryIT {

  private static final String USER = "weft-it";
  private static final String PASSWORD = "registry-pw-" + Long.toHexString(System.nanoTime());
  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Secured\",\"namespace\":\"io.weft.it\","
                  + "\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");

  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void startSecuredRegistry() {
    Path testDir = Path.of(System.getProperty("weft.test.dir", "target/weft-test"));
    Path workDir = testDir.resolve("https-registry");
    Path distributionHome =
        Path.of(System.getProperty("weft.registry.home", testDir.resolve("dist").toString()));
    Directories.deleteRecursively(workDir);
    LocalPki pki = LocalPki.create(workDir.resolve("pki"));
    registry =
        EmbeddedSchemaRegistry.startSecured(
            workDir.resolve("registry"), distributionHome, pki, USER, PASSWORD);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void shouldRegisterAndFetchASchemaOverHttpsWithTheTrustStoreAndCredentials() {
    // given
    assertThat(registry.url()).startsWith("https://127.0.0.1:");
    SchemaRegistryClient client = client(registry.clientSettings());

    // when
    int id = client.register("secured-value", SCHEMA);

    // then: a second client, with an empty cache, reads it back
    assertThat(client(registry.clientSettings()).schemaById(id)).isEqualTo(SCHEMA);
    assertThat(client(registry.clientSettings()).latest("secured-value").id()).isEqualTo(id);
  }

  @Test
  void shouldFailTheHandshakeNamingTheRegistryWithoutTheTrustStore() {
    // given: the JDK's authorities only
    Map<String, Object> settings = settingsWithout("schema.registry.ssl.truststore.location");

    // when / then
    assertThatThrownBy(() -> client(settings).subjects())
        .isInstanceOf(RegistryHandshakeException.class)
        .hasMessageContaining(registry.url())
        .hasMessageContaining("schema.registry.ssl.truststore.location");
  }

  @Test
  void shouldBeRefusedNamingTheRegistryWithoutCredentials() {
    // given
    Map<String, Object> settings = settingsWithout("basic.auth.user.info");

    // when / then
    assertThatThrownBy(() -> client(settings).subjects())
        .isInstanceOf(RegistryAuthorizationException.class)
        .hasMessageContaining(registry.url())
        .hasMessageContaining("401")
        .hasMessageContaining("no credentials were sent");
  }

  @Test
  void shouldBeRefusedWithAWrongPasswordWithoutShowingIt() {
    // given
    Map<String, Object> settings = new HashMap<>(registry.clientSettings());
    settings.put("basic.auth.user.info", USER + ":not-the-password");

    // when / then
    assertThatThrownBy(() -> client(settings).register("secured-value", SCHEMA))
        .isInstanceOf(RegistryAuthorizationException.class)
        .hasMessageContaining(registry.url())
        .hasMessageContaining("401")
        .hasMessageNotContaining("not-the-password");
  }

  private static Map<String, Object> settingsWithout(String key) {
    Map<String, Object> settings = new HashMap<>(registry.clientSettings());
    settings.remove(key);
    return settings;
  }

  private static SchemaRegistryClient client(Map<String, Object> settings) {
    return new AvroSerdeConfig(settings).registryClient();
  }
}

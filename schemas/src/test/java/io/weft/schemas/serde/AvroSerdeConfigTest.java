package io.weft.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.embedded.LocalPki;
import io.weft.schemas.registry.RegistryTls;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvroSerdeConfigTest {

  @Test
  void shouldRequireTheRegistryUrl() {
    assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void shouldRejectAnUnknownCredentialsSourceNamingTheKey() {
    assertThatThrownBy(
            () ->
                new AvroSerdeConfig(
                    Map.of(
                        "schema.registry.url", "http://127.0.0.1:1",
                        "basic.auth.credentials.source", "SASL_INHERIT")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.credentials.source");
  }

  @Test
  void shouldApplyConfluentDefaults() {
    // when
    AvroSerdeConfig config =
        new AvroSerdeConfig(Map.of("schema.registry.url", "http://127.0.0.1:1"));

    // then
    assertThat(config.autoRegisterSchemas()).isTrue();
    assertThat(config.useLatestVersion()).isFalse();
    assertThat(config.specificAvroReader()).isFalse();
  }

  @Test
  void shouldDeclareTheRegistryTlsSettingsUnderConfluentNamesWithKafkaDefaults() {
    // when
    Map<String, ConfigDef.ConfigKey> keys = AvroSerdeConfig.configDef().configKeys();

    // then
    assertThat(keys)
        .containsKeys(
            "schema.registry.ssl.truststore.location",
            "schema.registry.ssl.keystore.location",
            "schema.registry.ssl.endpoint.identification.algorithm");
    assertThat(keys.get("schema.registry.ssl.truststore.type").defaultValue).isEqualTo("JKS");
    assertThat(keys.get("schema.registry.ssl.keystore.type").defaultValue).isEqualTo("JKS");
    assertThat(keys.get("schema.registry.ssl.endpoint.identification.algorithm").defaultValue)
        .isEqualTo("https");
    assertThat(
            Map.of(
                "truststore", keys.get("schema.registry.ssl.truststore.password").type,
                "keystore", keys.get("schema.registry.ssl.keystore.password").type,
                "key", keys.get("schema.registry.ssl.key.password").type,
                "user info", keys.get("basic.auth.user.info").type))
        .allSatisfy((name, type) -> assertThat(type).as(name).isEqualTo(Type.PASSWORD));
  }

  @Test
  void shouldReadTheRegistryTlsSettings(@TempDir Path dir) {
    // given
    LocalPki pki = LocalPki.create(dir);

    // when
    RegistryTls tls =
        new AvroSerdeConfig(
                Map.of(
                    "schema.registry.url", "https://127.0.0.1:1",
                    "schema.registry.ssl.truststore.location", pki.trustStore().toString(),
                    "schema.registry.ssl.truststore.password", pki.password(),
                    "schema.registry.ssl.truststore.type", "PKCS12",
                    "schema.registry.ssl.endpoint.identification.algorithm", ""))
            .registryTls();

    // then
    assertThat(tls.hasTrustStore()).isTrue();
    assertThat(tls.hasKeyStore()).isFalse();
    assertThat(tls.verifiesHostname()).isFalse();
    assertThat(tls.sslContext()).isNotNull();
  }

  @Test
  void shouldRejectAnEndpointIdentificationAlgorithmOtherThanHttps() {
    assertThatThrownBy(
            () ->
                new AvroSerdeConfig(
                    Map.of(
                        "schema.registry.url", "https://127.0.0.1:1",
                        "schema.registry.ssl.endpoint.identification.algorithm", "ldaps")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.endpoint.identification.algorithm");
  }

  @Test
  void shouldNameTheSettingWhenTheRegistryClientCannotReadAStore(@TempDir Path dir) {
    // given
    Path missing = dir.resolve("nowhere.jks");
    AvroSerdeConfig config =
        new AvroSerdeConfig(
            Map.of(
                "schema.registry.url", "https://127.0.0.1:1",
                "schema.registry.ssl.truststore.location", missing.toString(),
                "schema.registry.ssl.truststore.password", "trust-secret"));

    // when / then
    assertThatThrownBy(config::registryClient)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageContaining(missing.toString())
        .hasMessageNotContaining("trust-secret");
  }

  @Test
  void shouldNeverShowASecretInItsValues() {
    // given
    AvroSerdeConfig config =
        new AvroSerdeConfig(
            Map.of(
                "schema.registry.url", "https://127.0.0.1:1",
                "basic.auth.user.info", "weft:user-secret",
                "schema.registry.ssl.truststore.password", "trust-secret",
                "schema.registry.ssl.keystore.password", "store-secret",
                "schema.registry.ssl.key.password", "key-secret"));

    // when
    String values = config.values().toString();

    // then
    assertThat(values)
        .contains("schema.registry.ssl.key.password")
        .doesNotContain("user-secret", "trust-secret", "store-secret", "key-secret");
  }
}

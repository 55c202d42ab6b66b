package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static final Map<String, Object> REQUIRED =
      Map.of("bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://127.0.0.1:8081");

  private static Map<String, Object> with(String key, Object value) {
    var settings = new java.util.HashMap<>(REQUIRED);
    settings.put(key, value);
    return settings;
  }

  @Test
  void shouldRejectAnUnknownCoordinatorSettingNamingIt() {
    assertThatThrownBy(() -> new CoordinatorConfig(with("weft.partitons", 6)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'weft.partitons'");
  }

  @Test
  void shouldRejectAnInvalidValueNamingTheKey() {
    assertThatThrownBy(() -> new CoordinatorConfig(with("num.stream.threads", 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("num.stream.threads");
  }

  @Test
  void shouldPassSecurityAndPrefixedSettingsThrough() {
    // given
    var settings = new java.util.HashMap<>(REQUIRED);
    settings.put("security.protocol", "SASL_SSL");
    settings.put("sasl.mechanism", "PLAIN");
    settings.put("ssl.truststore.location", "/etc/truststore.jks");
    settings.put("streams.fetch.max.wait.ms", "10");

    // when / then
    assertThat(new CoordinatorConfig(settings).getInt(CoordinatorConfig.PARTITIONS_CONFIG))
        .isEqualTo(12);
    assertThat(
            new ClientConfig(
                    Map.of(
                        "bootstrap.servers",
                        "b:1",
                        "schema.registry.url",
                        "http://r",
                        "ssl.keystore.type",
                        "PKCS12",
                        "producer.linger.ms",
                        5))
                .topics()
                .prefix())
        .isEqualTo("weft.");
  }

  @Test
  void shouldHandTheRegistrysCredentialsToTheSerdes() {
    // given
    var settings = new java.util.HashMap<>(REQUIRED);
    settings.put("basic.auth.user.info", "weft:s3cret");
    settings.put("schema.registry.ssl.truststore.location", "/etc/weft/registry-ca.p12");
    settings.put("schema.registry.ssl.keystore.password", "store-secret");

    // when
    Map<String, Object> coordinator = new CoordinatorConfig(settings).serdeConfig();
    Map<String, Object> client = new ClientConfig(settings).serdeConfig();

    // then
    assertThat(coordinator)
        .containsEntry("basic.auth.user.info", "weft:s3cret")
        .containsEntry("schema.registry.ssl.truststore.location", "/etc/weft/registry-ca.p12")
        .containsEntry("schema.registry.ssl.keystore.password", "store-secret")
        .containsKey("schema.registry.url")
        .doesNotContainKey("bootstrap.servers");
    assertThat(client).isEqualTo(coordinator);
  }

  @Test
  void shouldRejectAnUnknownClientSettingNamingIt() {
    assertThatThrownBy(() -> new ClientConfig(with("weft.query.urls", "http://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'weft.query.urls'");
  }

  @Test
  void shouldRequireTheBrokersAndTheRegistry() {
    assertThatThrownBy(() -> new CoordinatorConfig(Map.of("schema.registry.url", "http://r")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
  }
}

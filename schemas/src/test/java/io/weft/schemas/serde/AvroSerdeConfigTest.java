package io.weft.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

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
}

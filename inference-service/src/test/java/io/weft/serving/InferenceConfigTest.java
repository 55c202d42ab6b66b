package io.weft.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.serving.internals.Batching;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class InferenceConfigTest {

  private static Map<String, Object> minimal() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", "127.0.0.1:9092");
    settings.put("schema.registry.url", "http://127.0.0.1:8081");
    return settings;
  }

  @Test
  void shouldApplyTheDefaults() {
    // when
    InferenceConfig config = new InferenceConfig(minimal());

    // then
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8000);
    assertThat(config.grpcPort()).isEqualTo(-1);
    assertThat(config.artifactDir()).isEqualTo(Path.of("weft-data/artifacts"));
    assertThat(config.models()).isEmpty();
    assertThat(config.maxRequestBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(config.maxBatch()).isEqualTo(1024);
    assertThat(config.threads()).isEqualTo(4);
  }

  @Test
  void shouldTurnDynamicBatchingOnForEveryModelOrForOne() {
    Map<String, Object> settings = minimal();
    settings.put("serve.batching.max.delay.us", "250");
    settings.put("serve.batching.model.mnist.max.batch", "32");
    settings.put("serve.batching.model.mnist.concurrency", 1);
    settings.put("serve.batching.model.my.model.max.delay.us", 0);

    InferenceConfig config = new InferenceConfig(settings);

    assertThat(new InferenceConfig(minimal()).batching("any").isOn()).isFalse();
    assertThat(config.batching("other")).isEqualTo(new Batching(1, 250, 2, false));
    assertThat(config.batching("mnist")).isEqualTo(new Batching(32, 250, 1, true));
    assertThat(config.batching("my.model")).isEqualTo(new Batching(1, 0, 2, false));
  }

  @Test
  void shouldFailOnABadPerModelBatchingSettingNamingIt() {
    Map<String, Object> unknown = minimal();
    unknown.put("serve.batching.model.mnist.max.bacth", "8");
    Map<String, Object> zero = minimal();
    zero.put("serve.batching.model.mnist.max.batch", "0");
    Map<String, Object> text = minimal();
    text.put("serve.batching.model.mnist.max.delay.us", "soon");

    assertThatThrownBy(() -> new InferenceConfig(unknown))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("serve.batching.model.mnist.max.bacth")
        .hasMessageContaining("serve.batching.model.<model>.max.batch|max.delay.us|concurrency");
    assertThatThrownBy(() -> new InferenceConfig(zero))
        .hasMessageContaining("serve.batching.model.mnist.max.batch")
        .hasMessageContaining("must be at least 1");
    assertThatThrownBy(() -> new InferenceConfig(text))
        .hasMessageContaining("soon")
        .hasMessageContaining("not a whole number");
  }

  @Test
  void shouldFailOnAnUnknownKeyNamingIt() {
    // given
    Map<String, Object> settings = minimal();
    settings.put("serve.max.bacth", 10);

    // then
    assertThatThrownBy(() -> new InferenceConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown inference server setting 'serve.max.bacth'");
  }

  @Test
  void shouldFailOnAnInvalidValueNamingTheKey() {
    // given
    Map<String, Object> settings = minimal();
    settings.put("serve.port", 70_000);

    // then
    assertThatThrownBy(() -> new InferenceConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("serve.port");
  }

  @Test
  void shouldFailOnAGrpcPortBelowOffNamingTheKey() {
    // given
    Map<String, Object> settings = minimal();
    settings.put("serve.grpc.port", -2);

    // then
    assertThatThrownBy(() -> new InferenceConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("serve.grpc.port");
  }

  @Test
  void shouldPassEverySettingButItsOwnToTheRegistry() {
    // given
    Map<String, Object> settings = minimal();
    settings.put("serve.models", "mnist, fashion");
    settings.put("sasl.mechanism", "PLAIN");
    settings.put("consumer.fetch.max.wait.ms", 100);

    // when
    InferenceConfig config = new InferenceConfig(settings);

    // then
    assertThat(config.models()).containsExactlyInAnyOrder("mnist", "fashion");
    assertThat(config.registrySettings())
        .containsKeys("bootstrap.servers", "sasl.mechanism", "consumer.fetch.max.wait.ms")
        .doesNotContainKey("serve.models");
  }

  @Test
  void shouldReadModelsFromAnS3LocationAndKeepArtifactSettingsFromTheRegistry() {
    // given
    Map<String, Object> settings = minimal();
    settings.put("serve.artifact.uri", "s3://models/weft");
    settings.put("artifact.s3.endpoint", "http://127.0.0.1:9000");
    settings.put("artifact.s3.access.key.id", "AKIDEXAMPLE");
    settings.put("artifact.s3.secret.access.key", "very-secret");

    // when
    InferenceConfig config = new InferenceConfig(settings);

    // then
    assertThat(config.artifactLocation()).hasToString("s3://models/weft");
    assertThat(config.registrySettings())
        .containsKey("bootstrap.servers")
        .doesNotContainKeys(
            "serve.artifact.uri", "artifact.s3.endpoint", "artifact.s3.secret.access.key");
  }

  @Test
  void shouldFailOnAnArtifactUriOfAnotherSchemeNamingTheKey() {
    // given
    Map<String, Object> settings = minimal();
    settings.put("serve.artifact.uri", "gs://models");

    // then
    assertThatThrownBy(() -> new InferenceConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("serve.artifact.uri");
  }
}

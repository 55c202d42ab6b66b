package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The artifact settings as a worker reads them: location, S3 options, credentials. */
class ArtifactSettingsTest {

  private static Map<String, Object> minimal() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", "127.0.0.1:9092");
    props.put("schema.registry.url", "mock://config-test");
    return props;
  }

  @Test
  void shouldStoreInTheArtifactDirectoryWhenNoUriIsSet() {
    // given
    Map<String, Object> props = minimal();
    props.put("worker.artifact.dir", "some/dir");

    // when
    WorkerConfig config = new WorkerConfig(props);

    // then
    assertThat(config.artifactLocation()).isEqualTo(Path.of("some/dir").toAbsolutePath().toUri());
    assertThat(ArtifactSettings.s3Options(config)).isEqualTo(S3Options.defaults());
    assertThat(ArtifactSettings.cacheDir(config)).hasToString("weft-data/artifact-cache");
  }

  @Test
  void shouldReadAnS3LocationAndItsOptions() {
    // given
    Map<String, Object> props = minimal();
    props.put("worker.artifact.uri", "s3://models/weft");
    props.put("artifact.s3.endpoint", "http://127.0.0.1:9000");
    props.put("artifact.s3.region", "eu-west-1");
    props.put("artifact.s3.path.style.access", "true");
    props.put("artifact.s3.access.key.id", "AKIDEXAMPLE");
    props.put("artifact.s3.secret.access.key", "very-secret");

    // when
    WorkerConfig config = new WorkerConfig(props);
    S3Options options = ArtifactSettings.s3Options(config);

    // then
    assertThat(config.artifactLocation()).isEqualTo(URI.create("s3://models/weft"));
    assertThat(options.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(options.region()).isEqualTo("eu-west-1");
    assertThat(options.pathStyleAccess()).isTrue();
    assertThat(options.accessKeyId().value()).isEqualTo("AKIDEXAMPLE");
    assertThat(options.secretAccessKey().value()).isEqualTo("very-secret");
    // and the credentials never print
    assertThat(options.toString()).doesNotContain("AKIDEXAMPLE").doesNotContain("very-secret");
    assertThat(config.values().toString()).doesNotContain("very-secret");
  }

  @Test
  void shouldRefuseALocationOfAnotherScheme() {
    // given
    Map<String, Object> props = minimal();
    props.put("worker.artifact.uri", "ftp://host/artifacts");

    // when / then
    assertThatThrownBy(() -> new WorkerConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("worker.artifact.uri")
        .hasMessageContaining("file: or s3:");
  }

  @Test
  void shouldRefuseAnS3LocationWithoutABucketAndAnEndpointThatIsNoUrl() {
    // given
    Map<String, Object> noBucket = minimal();
    noBucket.put("worker.artifact.uri", "s3:///prefix");
    Map<String, Object> badEndpoint = minimal();
    badEndpoint.put("artifact.s3.endpoint", "127.0.0.1:9000");

    // when / then
    assertThatThrownBy(() -> new WorkerConfig(noBucket))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("worker.artifact.uri");
    assertThatThrownBy(() -> new WorkerConfig(badEndpoint))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("artifact.s3.endpoint");
  }

  @Test
  void shouldRefuseAnAccessKeyIdWithoutItsSecret() {
    // given
    Map<String, Object> props = minimal();
    props.put("artifact.s3.access.key.id", "AKIDEXAMPLE");

    // when / then
    assertThatThrownBy(() -> new WorkerConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("artifact.s3.secret.access.key");
  }
}

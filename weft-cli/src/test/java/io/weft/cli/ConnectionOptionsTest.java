package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConnectionOptionsTest {

  @TempDir Path dir;

  private Map<String, Object> settings(String... args) {
    ConnectionOptions options = new ConnectionOptions();
    new CommandLine(options).parseArgs(args);
    return options.clientSettings();
  }

  @Test
  void shouldLetOptionsOverrideTheConfigFile() throws IOException {
    // given
    Path config = dir.resolve("weft.properties");
    Files.writeString(
        config,
        "bootstrap.servers=file:9092\nschema.registry.url=http://file:8081\n"
            + "weft.topic.prefix=file.\nweft.request.timeout.ms=5000\n");

    // when
    Map<String, Object> settings =
        settings(
            "--config", config.toString(),
            "--bootstrap-servers", "option:9092",
            "--query-url", "http://option:7000");

    // then
    assertThat(settings)
        .containsEntry("bootstrap.servers", "option:9092")
        .containsEntry("schema.registry.url", "http://file:8081")
        .containsEntry("weft.topic.prefix", "file.")
        .containsEntry("weft.request.timeout.ms", "5000")
        .containsEntry("weft.query.url", "http://option:7000");
  }

  @Test
  void shouldUseOnlyTheOptionsWithoutAConfigFile() {
    // when
    Map<String, Object> settings =
        settings("--bootstrap-servers", "b:1", "--schema-registry-url", "http://r:2");

    // then
    assertThat(settings)
        .containsOnly(
            Map.entry("bootstrap.servers", "b:1"), Map.entry("schema.registry.url", "http://r:2"));
  }

  @Test
  void shouldLeaveTheQueryUrlOutOfAComponentsSettings() {
    // given
    ConnectionOptions options = new ConnectionOptions();
    new CommandLine(options).parseArgs("--bootstrap-servers", "b:1", "--query-url", "http://q");

    // when
    Map<String, Object> settings = options.componentSettings();

    // then
    assertThat(settings).containsOnly(Map.entry("bootstrap.servers", "b:1"));
  }

  @Test
  void shouldTakeTheQueryTokenFromTheEnvironmentOrATokenFileButNeverAnOption() throws IOException {
    // given
    Path config = dir.resolve("weft.properties");
    Files.writeString(config, "weft.query.token=from-file-0123456789\n");
    ConnectionOptions fromEnv = new ConnectionOptions();
    fromEnv.env = Map.of("WEFT_QUERY_TOKEN", "from-env-0123456789")::get;
    new CommandLine(fromEnv).parseArgs("--config", config.toString());
    ConnectionOptions fromTokenFile = new ConnectionOptions();
    fromTokenFile.env = Map.of("WEFT_QUERY_TOKEN", "from-env-0123456789")::get;
    new CommandLine(fromTokenFile)
        .parseArgs("--config", config.toString(), "--query-token-file", "/run/secrets/weft");

    // when
    Map<String, Object> envSettings = fromEnv.clientSettings();
    Map<String, Object> fileSettings = fromTokenFile.clientSettings();

    // then
    assertThat(envSettings)
        .containsEntry("weft.query.token", "from-env-0123456789")
        .doesNotContainKey("weft.query.token.file");
    assertThat(fileSettings)
        .containsEntry("weft.query.token.file", "/run/secrets/weft")
        .doesNotContainKey("weft.query.token");
    assertThat(settings("--config", config.toString()))
        .containsEntry("weft.query.token", "from-file-0123456789");
    assertThat(new CommandLine(new ConnectionOptions()).getCommandSpec().optionsMap())
        .doesNotContainKey("--query-token");
  }
}

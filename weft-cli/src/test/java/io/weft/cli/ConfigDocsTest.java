package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.CoordinatorConfig;
import io.weft.schemas.serde.AvroSerdeConfig;
import io.weft.workers.api.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is what the components' ConfigDefs say, and says all of it. */
class ConfigDocsTest {

  /** The file, from the module's directory (where the build runs its tests). */
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void shouldMatchTheCheckedInConfigurationReference() throws IOException {
    // given
    String generated = ConfigDocs.markdown();

    // when
    String checkedIn = Files.exists(DOC) ? Files.readString(DOC) : "";

    // then
    assertThat(checkedIn)
        .as("docs/configuration.md is out of date; run " + ConfigDocs.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void shouldDocumentEveryKeyOfEveryComponent() {
    // when
    String markdown = ConfigDocs.markdown();

    // then
    Stream.of(
            CoordinatorConfig.configDef(),
            WorkerConfig.configDef(),
            ClientConfig.configDef(),
            AvroSerdeConfig.configDef())
        .map(ConfigDef::names)
        .flatMap(java.util.Set::stream)
        .forEach(key -> assertThat(markdown).contains("| `" + key + "` |"));
  }

  @Test
  void shouldBeTheSameOnEveryMachine() {
    // when
    String markdown = ConfigDocs.markdown();

    // then: no machine-dependent default (the worker id) and no lambda's name
    assertThat(markdown)
        .contains("| `worker.id` | string | `<hostname>-<pid>` |")
        .doesNotContain(String.valueOf(ProcessHandle.current().pid()))
        .doesNotContain("$$Lambda");
  }

  @Test
  void shouldPrintTheReferenceWithTheCommand() {
    // when
    Cli.Result result = Cli.run("config-docs");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.OK);
    assertThat(result.out()).isEqualTo(ConfigDocs.markdown());
  }
}

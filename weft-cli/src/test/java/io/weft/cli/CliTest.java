package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.WorkflowValidator;
import io.weft.core.api.WorkflowYaml;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that need no broker, and the failures that happen before one is reached. */
class CliTest {

  @TempDir Path dir;

  @Test
  void shouldAcceptAValidWorkflowFile() {
    // given
    Path file = Path.of("src/test/resources/workflows/echo.yaml");

    // when
    Cli.Result result = Cli.run("validate", file.toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.OK);
    assertThat(result.out()).contains("VALID").contains("'cli-echo' version 1");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void shouldPrintEveryProblemOfAnInvalidWorkflowFileOnePerLineAndExit2() {
    // given
    Path file = Path.of("src/test/resources/workflows/invalid.yaml");

    // when
    Cli.Result result = Cli.run("validate", file.toString());

    // then
    List<String> expected =
        WorkflowValidator.withoutTypeCheck().problems(WorkflowYaml.read(file)).stream()
            .map(p -> "weft: " + file + ": " + p)
            .toList();
    assertThat(expected).hasSizeGreaterThanOrEqualTo(3);
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err().lines()).containsExactlyElementsOf(expected);
    assertThat(result.err())
        .contains("'missing'")
        .contains("Bad_Type")
        .containsIgnoringCase("cycle");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void shouldReportAnUnknownKeyOfTheYamlWithTheOtherProblems() throws IOException {
    // given
    Path file = dir.resolve("typo.yaml");
    Files.writeString(
        file,
        "name: typo\nversion: 1\ntasks:\n  - id: a\n    type: t\n    dependOn: [b]\n"
            + "  - id: b\n    type: t\n    retri: {}\n");

    // when
    Cli.Result result = Cli.run("validate", file.toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("dependOn").contains("retri");
  }

  @Test
  void shouldExit2NamingTheFileWhenItCannotBeRead() {
    // when
    Cli.Result result = Cli.run("validate", dir.resolve("absent.yaml").toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).startsWith("weft: cannot read ").contains("absent.yaml");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void shouldFailNamingAnUnknownConfigKeyWithExit2() throws IOException {
    // given
    Path config = dir.resolve("weft.properties");
    Files.writeString(
        config,
        "bootstrap.servers=127.0.0.1:1\nschema.registry.url=http://127.0.0.1:1\n"
            + "weft.query.url=http://127.0.0.1:1\nbogus.setting=1\n");

    // when
    Cli.Result result = Cli.run("runs", "--config", config.toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).startsWith("weft: ").contains("bogus.setting");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void shouldNameTheCoordinatorAddressItCannotReach() throws IOException {
    // given: nothing listens on port 1
    Path config = dir.resolve("weft.properties");
    Files.writeString(
        config,
        "bootstrap.servers=127.0.0.1:1\nschema.registry.url=http://127.0.0.1:1\n"
            + "weft.query.url=http://127.0.0.1:1\n");

    // when
    Cli.Result result = Cli.run("status", "some-run", "--config", config.toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(result.err())
        .startsWith("weft: Cannot reach the coordinator's query API at http://127.0.0.1:1: ")
        .doesNotContain("null");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void shouldAddTheStackTraceWithVerbose() throws IOException {
    // given
    Path config = dir.resolve("weft.properties");
    Files.writeString(config, "bogus.setting=1\n");

    // when
    Cli.Result result = Cli.run("runs", "--config", config.toString(), "--verbose");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err().lines().count()).isGreaterThan(3);
    assertThat(result.err()).contains("\tat ");
  }

  @Test
  void shouldExit2NamingTheAvailableTypesForAnUnknownTaskType() {
    // when
    Cli.Result result =
        Cli.run("worker", "--types", "cli-echo,nope", "--bootstrap-servers", "127.0.0.1:1");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err())
        .startsWith("weft: no handler for task type(s) nope")
        .containsPattern("available: .*cli-block, cli-echo, cli-flaky")
        .contains("prepare-data", "train");
  }

  @Test
  void shouldFailWithin30SecondsNamingTheAddressWhenTheBrokerIsUnreachable() throws IOException {
    // given: a free port nothing listens on
    String address;
    try (ServerSocket socket = new ServerSocket(0)) {
      address = "127.0.0.1:" + socket.getLocalPort();
    }

    // when
    long started = System.nanoTime();
    Cli.Result result =
        Cli.run(
            "worker",
            "--types",
            "cli-echo",
            "--bootstrap-servers",
            address,
            "--schema-registry-url",
            "http://127.0.0.1:1");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(result.err()).contains(address);
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void shouldFailTheCoordinatorWithin30SecondsNamingTheAddressWhenTheBrokerIsUnreachable()
      throws IOException {
    // given: a free port nothing listens on
    String address = unusedAddress();

    // when
    long started = System.nanoTime();
    Cli.Result result =
        Cli.run(
            "coordinator",
            "--bootstrap-servers",
            address,
            "--schema-registry-url",
            "http://127.0.0.1:1",
            "--config",
            writeConfig("state.dir=" + dir.resolve("state") + "\n").toString());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(result.err()).isEqualTo("weft: cannot reach Kafka at " + address + " within 15 s\n");
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void shouldPrintEveryProblemOfAnInvalidFileOnRunBeforeConnectingAndExit2() {
    // given: an invalid file, and nothing listening where the options point
    Path file = Path.of("src/test/resources/workflows/invalid.yaml");
    List<String> expected =
        WorkflowValidator.withoutTypeCheck().problems(WorkflowYaml.read(file)).stream()
            .map(p -> "weft: " + file + ": " + p)
            .toList();

    // when
    Cli.Result result =
        Cli.run(
            "run",
            file.toString(),
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--schema-registry-url",
            "http://127.0.0.1:1",
            "--query-url",
            "http://127.0.0.1:1");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err().lines()).containsExactlyElementsOf(expected);
    assertThat(result.out()).isEmpty();
  }

  private Path writeConfig(String content) throws IOException {
    Path config = dir.resolve("component.properties");
    Files.writeString(config, content);
    return config;
  }

  private static String unusedAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }
}

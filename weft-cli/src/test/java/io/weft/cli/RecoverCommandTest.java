package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/** {@code weft recover}'s options and the local-state check it makes before connecting. */
class RecoverCommandTest {

  @TempDir Path dir;

  @Test
  void shouldParseWipeLocalStateAndLeaveItOffByDefault() {
    // when
    RecoverCommand with = parse("recover", "--wipe-local-state");
    RecoverCommand without = parse("recover");

    // then
    assertThat(with.wipeLocalState).isTrue();
    assertThat(without.wipeLocalState).isFalse();
  }

  @Test
  void shouldRefuseNamingTheLocalStateDirectoryAndTheFlagBeforeConnecting() throws IOException {
    // given: a task's state left in <state.dir>/<application.id>, and no broker
    Path app = staleState();

    // when
    Cli.Result result = Cli.run("recover", "--config", config().toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(result.err())
        .startsWith(
            "weft: Coordinator 'cli-recover' has local state in " + app.toAbsolutePath() + " (0_0)")
        .contains("--wipe-local-state")
        .doesNotContain("cannot reach Kafka");
    assertThat(result.err().lines()).hasSize(1);
    assertThat(app.resolve("0_0")).exists();
  }

  @Test
  void shouldGoPastTheCheckWithWipeLocalStateButDeleteNothingBeforeTheCoordinatorIsSeenStopped()
      throws IOException {
    // given: the same state, and nothing listening at the broker's address
    Path app = staleState();
    String address = unusedAddress();

    // when
    Cli.Result result =
        Cli.run(
            "recover",
            "--config",
            config().toString(),
            "--bootstrap-servers",
            address,
            "--wipe-local-state");

    // then: it tried the broker, and left the directory as it was
    assertThat(result.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(result.err()).isEqualTo("weft: cannot reach Kafka at " + address + " within 15 s\n");
    assertThat(app.resolve("0_0")).exists();
  }

  private Path staleState() throws IOException {
    Path app = Files.createDirectories(dir.resolve("state").resolve("cli-recover"));
    Files.writeString(Files.createDirectories(app.resolve("0_0")).resolve(".checkpoint"), "0\n");
    return app;
  }

  private Path config() throws IOException {
    Path config = dir.resolve("coordinator.properties");
    Files.writeString(
        config,
        "bootstrap.servers=127.0.0.1:1\nschema.registry.url=http://127.0.0.1:1\n"
            + "application.id=cli-recover\nstate.dir="
            + dir.resolve("state").toString().replace("\\", "/")
            + "\n");
    return config;
  }

  private static RecoverCommand parse(String... args) {
    ParseResult parsed = Weft.commandLine().parseArgs(args);
    return (RecoverCommand) parsed.subcommand().commandSpec().userObject();
  }

  private static String unusedAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }
}

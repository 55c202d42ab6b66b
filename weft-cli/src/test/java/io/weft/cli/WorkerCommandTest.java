package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code weft worker} refuses before it connects to anything. */
class WorkerCommandTest {

  @TempDir Path dir;

  @Test
  void shouldRefuseAnExecWithoutATypeAndExit2() {
    // when
    Cli.Result result = Cli.run("worker", "--exec", "python3 train.py");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("--exec: Expected TYPE=COMMAND");
  }

  @Test
  void shouldRefuseAnExecWithAnUnclosedQuote() {
    // when
    Cli.Result result = Cli.run("worker", "--exec", "py='python3 train.py");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("Unclosed '");
  }

  @Test
  void shouldRefuseAHandlersDirectoryWithoutJars() throws Exception {
    // given
    Files.writeString(dir.resolve("notes.txt"), "not a jar");

    // when
    Cli.Result result = Cli.run("worker", "--handlers", dir.toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("--handlers " + dir + ": no .jar files in it");
  }

  @Test
  void shouldRefuseAMissingHandlersDirectory() {
    // when
    Cli.Result result = Cli.run("worker", "--handlers", dir.resolve("missing").toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("not a directory");
  }

  @Test
  void shouldSayWhatIsAvailableWhenNothingIsToBeServed() {
    // when
    Cli.Result result = Cli.run("worker");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("nothing to serve").contains("train");
  }

  @Test
  void shouldRefuseATypeNoHandlerServes() {
    // when
    Cli.Result result = Cli.run("worker", "--types", "nope", "--exec", "py=python3 x.py");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("no handler for task type(s) nope").contains("py");
  }
}

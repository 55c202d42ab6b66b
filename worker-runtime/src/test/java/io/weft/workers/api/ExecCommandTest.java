package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExecCommandTest {

  @Test
  void shouldSplitACommandLineAtSpacesOutsideQuotes() {
    // when
    ExecCommand command =
        ExecCommand.parse("py-fit=python3  'my dir/fit.py' --name \"a b\" x''y", Path.of("/w"));

    // then
    assertThat(command.taskType()).isEqualTo("py-fit");
    assertThat(command.command())
        .containsExactly("python3", "my dir/fit.py", "--name", "a b", "xy");
    assertThat(command.workingDirectory()).isEqualTo(Path.of("/w"));
  }

  @Test
  void shouldKeepAnEmptyQuotedArgument() {
    assertThat(ExecCommand.parse("t=echo ''", null).command()).containsExactly("echo", "");
  }

  @Test
  void shouldRefuseABadTypeOrAnEmptyCommand() {
    assertThatThrownBy(() -> ExecCommand.parse("Py=python3", null))
        .hasMessageContaining("must match [a-z0-9-]+");
    assertThatThrownBy(() -> ExecCommand.parse("py=  ", null)).hasMessageContaining("No command");
    assertThatThrownBy(() -> ExecCommand.parse("=python3", null))
        .hasMessageContaining("Expected TYPE=COMMAND");
  }

  @Test
  void shouldRetryTemporaryFailuresAndNotUsageErrorsByDefault() {
    // when
    ExecCommand command = ExecCommand.of("t", List.of("x"));

    // then
    assertThat(command.nonRetryableExitCodes()).contains(2, 64, 65, 78).doesNotContain(1, 75, 137);
  }

  @Test
  void shouldRefuseExitCodeZeroAsNonRetryable() {
    assertThatThrownBy(() -> ExecCommand.of("t", List.of("x")).withNonRetryableExitCodes(Set.of(0)))
        .hasMessageContaining("Exit code 0 means success");
  }
}

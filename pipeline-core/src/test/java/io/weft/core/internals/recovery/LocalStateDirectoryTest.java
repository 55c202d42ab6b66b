package io.weft.core.internals.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.common.WeftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator's local state directory that still holds state is found, named and wiped. */
class LocalStateDirectoryTest {

  @TempDir Path stateDir;

  @Test
  void shouldFindNoStateWhereTheDirectoryDoesNotExist() {
    // given
    LocalStateDirectory local = new LocalStateDirectory(stateDir.resolve("weft-coordinator"));

    // when / then
    assertThat(local.stateEntries()).isEmpty();
    assertThatCode(() -> local.requireNoState("weft-coordinator")).doesNotThrowAnyException();
  }

  @Test
  void shouldFindNoStateInTheFilesKafkaStreamsKeepsBesideItsTasks() throws IOException {
    // given: the lock and the process id, which hold no state
    Path app = Files.createDirectories(stateDir.resolve("weft-coordinator"));
    Files.writeString(app.resolve(".lock"), "");
    Files.writeString(app.resolve("kafka-streams-process-metadata"), "{}");

    // when / then
    assertThat(new LocalStateDirectory(app).stateEntries()).isEmpty();
  }

  @Test
  void shouldRefuseNamingTheDirectoryItsTasksAndWhatToDoWhenTaskDirectoriesAreLeft()
      throws IOException {
    // given: two tasks' stores with their checkpoints
    Path app = Files.createDirectories(stateDir.resolve("weft-coordinator"));
    Files.writeString(Files.createDirectories(app.resolve("1_2")).resolve(".checkpoint"), "0\n");
    Files.writeString(Files.createDirectories(app.resolve("0_0")).resolve(".checkpoint"), "0\n");
    Files.writeString(app.resolve("kafka-streams-process-metadata"), "{}");

    // when / then
    assertThatThrownBy(() -> new LocalStateDirectory(app).requireNoState("weft-coordinator"))
        .isInstanceOf(WeftException.class)
        .hasMessageStartingWith(
            "Coordinator 'weft-coordinator' has local state in "
                + app.toAbsolutePath()
                + " (0_0, 1_2); ")
        .hasMessageContaining("Delete that directory")
        .hasMessageContaining("--wipe-local-state");
  }

  @Test
  void shouldNameTheFirstFiveEntriesAndCountTheRest() throws IOException {
    // given
    Path app = Files.createDirectories(stateDir.resolve("weft-coordinator"));
    for (int task = 0; task < 8; task++) {
      Files.createDirectories(app.resolve("0_" + task));
    }

    // when / then
    assertThatThrownBy(() -> new LocalStateDirectory(app).requireNoState("weft-coordinator"))
        .hasMessageContaining("(0_0, 0_1, 0_2, 0_3, 0_4 and 3 more)");
  }

  @Test
  void shouldDeleteTheDirectoryWithEverythingInItWhenWiped() throws IOException {
    // given
    Path app = Files.createDirectories(stateDir.resolve("weft-coordinator"));
    Path store = Files.createDirectories(app.resolve("0_0").resolve("rocksdb").resolve("runs"));
    Files.writeString(store.resolve("000001.sst"), "data");
    Files.writeString(app.resolve(".lock"), "");

    // when
    new LocalStateDirectory(app).wipe();

    // then
    assertThat(app).doesNotExist();
    assertThat(stateDir).exists();
  }
}

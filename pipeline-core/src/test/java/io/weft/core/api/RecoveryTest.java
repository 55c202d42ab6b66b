package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.weft.common.WeftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What recovery checks before it connects to anything. */
class RecoveryTest {

  @TempDir Path dir;

  @Test
  void shouldRefuseToRebuildOverALocalStateDirectoryBeforeConnecting() throws IOException {
    // given: a task's state left in <state.dir>/<application.id>, and no broker at all
    Path app = Files.createDirectories(dir.resolve("state").resolve("my-coordinator"));
    Files.createDirectories(app.resolve("0_3"));
    Map<String, Object> settings =
        Map.of(
            "bootstrap.servers", "127.0.0.1:1",
            "schema.registry.url", "mock://recovery-test",
            "state.dir", dir.resolve("state").toString(),
            "application.id", "my-coordinator");

    // when
    long started = System.nanoTime();
    Throwable refused = catchThrowable(() -> Recovery.rebuild(settings));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // then: it names the directory, and gave up at once rather than after a broker's timeout
    assertThat(refused)
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("'my-coordinator' has local state in " + app.toAbsolutePath())
        .hasMessageContaining("(0_3)");
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(app.resolve("0_3")).exists();
  }

  @Test
  void shouldCheckTheStateDirectoryKafkaStreamsIsGivenWhenStreamsStateDirIsSet()
      throws IOException {
    // given: streams.state.dir, which the coordinator passes to Kafka Streams over state.dir
    Path app = Files.createDirectories(dir.resolve("streams-state").resolve("weft-coordinator"));
    Files.createDirectories(app.resolve("0_0"));
    Map<String, Object> settings =
        Map.of(
            "bootstrap.servers",
            "127.0.0.1:1",
            "schema.registry.url",
            "mock://recovery-test",
            "state.dir",
            dir.resolve("state").toString(),
            "streams.state.dir",
            dir.resolve("streams-state").toString());

    // when / then
    assertThat(new CoordinatorConfig(settings).localStateDirectory()).isEqualTo(app);
    assertThatThrownBy(() -> Recovery.requireNoLocalState(settings))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining(app.toAbsolutePath().toString());
  }
}

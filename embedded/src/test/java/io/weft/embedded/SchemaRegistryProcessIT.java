package io.weft.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The registry child process never outlives its parent. */
class SchemaRegistryProcessIT {

  private static final Path TEST_DIR =
      Path.of(System.getProperty("weft.test.dir", "target/weft-test"));
  private static final Path DIST_HOME =
      Path.of(System.getProperty("weft.registry.home", TEST_DIR.resolve("dist").toString()));

  @Test
  void shouldLeaveNoProcessAfterClose() {
    // given
    EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.start(TEST_DIR.resolve("registry-close"), DIST_HOME);
    List<Long> pids = registry.pids();
    assertThat(pids).isNotEmpty();

    // when
    registry.close();

    // then
    assertThat(pids).noneMatch(SchemaRegistryProcessIT::alive);
  }

  @Test
  void shouldStopRegistryWhenParentJvmIsKilled() throws Exception {
    // given: a JVM that starts a registry and reports its process ids
    Process parent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dweft.test.dir=" + TEST_DIR,
                RegistryParentMain.class.getName(),
                TEST_DIR.resolve("registry-orphan").toString(),
                DIST_HOME.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<Long> pids;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith(RegistryParentMain.PIDS));
      assertThat(line).as("registry pids reported by the parent JVM").isNotNull();
      pids =
          Arrays.stream(line.substring(RegistryParentMain.PIDS.length()).trim().split(" "))
              .map(Long::parseLong)
              .toList();
    }
    assertThat(pids).isNotEmpty().allMatch(SchemaRegistryProcessIT::alive);

    // when: the parent dies without running any shutdown hook
    parent.destroyForcibly();
    assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

    // then
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(pids).noneMatch(SchemaRegistryProcessIT::alive));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}

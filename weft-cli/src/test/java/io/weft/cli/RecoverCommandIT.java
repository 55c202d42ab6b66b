package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code weft recover} rebuilds a stopped coordinator's lost state. */
@ExtendWith(WeftStackExtension.class)
class RecoverCommandIT {

  private CliKit kit;

  @AfterEach
  void stop() {
    kit.close();
  }

  @Test
  void shouldRebuildALostStateSoThatTheRunsAreStillThereAfterARestart(WeftStack stack)
      throws Exception {
    // given: a finished run, then the coordinator stopped and its state (local and changelogs) lost
    kit = new CliKit(stack, "cli-recover").startCoordinator().startWorker();
    Cli.Result run =
        Cli.run(
            "run",
            "src/test/resources/workflows/echo.yaml",
            "--wait",
            "--config",
            kit.clientConfig().toString());
    assertThat(run.exitCode()).isEqualTo(Weft.OK);
    String runId = run.out().lines().findFirst().orElseThrow();
    kit.stopCoordinator();
    deleteState(stack);

    // when
    Cli.Result recover = Cli.run("recover", "--config", kit.coordinatorConfig().toString());

    // then
    assertThat(recover.exitCode()).as(recover.err()).isEqualTo(Weft.OK);
    assertThat(recover.out()).startsWith("RECOVERED").containsPattern("runs: +1\\b");
    kit.startCoordinator();
    Cli.Result status = Cli.run("status", runId, "--config", kit.clientConfig().toString());
    assertThat(status.exitCode()).as(status.err()).isEqualTo(Weft.OK);
    assertThat(status.out()).contains("status:   SUCCEEDED");
  }

  private void deleteState(WeftStack stack) throws Exception {
    Path state = kit.dir.resolve("coordinator-state");
    try (Stream<Path> files = Files.walk(state)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String applicationId = kit.prefix + "coordinator-";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      List<String> changelogs =
          admin.listTopics().names().get().stream()
              .filter(n -> n.startsWith(applicationId))
              .toList();
      assertThat(changelogs).isNotEmpty();
      admin.deleteTopics(changelogs).all().get();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.listTopics().names().get().stream().noneMatch(changelogs::contains));
    }
  }
}

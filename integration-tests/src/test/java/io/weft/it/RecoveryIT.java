package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.Coordinator;
import io.weft.core.api.Recovery;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.TaskView;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.Directories;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.testkit.Changelogs;
import io.weft.testkit.WeftInstallation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The coordinator's state, lost mid-way, is rebuilt from the event log. */
@ExtendWith(WeftStackExtension.class)
class RecoveryIT {

  private WeftInstallation kit;
  private Coordinator restarted;

  @AfterEach
  void stop() throws Exception {
    if (restarted != null) {
      restarted.close();
    }
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldRebuildLostStateSoThatRunsFinishWithoutRerunningCompletedTasks(WeftStack stack)
      throws Exception {
    // given: 20 runs of a 4-task chain of 200 ms tasks, stopped mid-way
    kit =
        WeftInstallation.forTests(stack, "recovery")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(Map.of("worker.concurrency", "4"), "slow");
    WorkflowDefinition.Builder chain =
        WorkflowDefinition.builder("chain", 1)
            .task(TaskDefinition.builder("s0", "slow").param("millis", 200));
    for (int i = 1; i < 4; i++) {
      chain.task(
          TaskDefinition.builder("s" + i, "slow").dependsOn("s" + (i - 1)).param("millis", 200));
    }
    kit.client().register(chain.build());
    List<String> runs =
        IntStream.range(0, 20).mapToObj(i -> kit.client().startRun("chain", Map.of())).toList();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> kit.client().runs(RunView.Status.SUCCEEDED, 100).size() >= 3);
    Map<String, RunView> before = new HashMap<>();
    kit.client().runs(null, 100).forEach(r -> before.put(r.runId(), r));
    kit.coordinator().close();

    // when: its local state and changelogs are deleted, then rebuilt from the log
    Map<String, Object> settings = kit.coordinatorSettings();
    Directories.deleteRecursively(Path.of((String) settings.get("state.dir")));
    Changelogs.deleteAll(stack.bootstrapServers(), (String) settings.get("application.id"));
    Recovery.Report report = Recovery.rebuild(settings);
    restarted = Coordinator.start(settings);
    var client =
        io.weft.core.api.WeftClient.create(
            Map.of(
                "bootstrap.servers",
                stack.bootstrapServers(),
                "schema.registry.url",
                stack.schemaRegistryUrl(),
                "weft.topic.prefix",
                kit.topics().prefix(),
                "weft.query.url",
                restarted.queryUrl()));

    // then: every run finishes, every task done before the loss is unchanged, and none ran again
    assertThat(report.runs()).isEqualTo(20);
    assertThat(before).hasSize(20);
    for (String runId : runs) {
      RunView after = client.awaitCompletion(runId, Duration.ofSeconds(120));
      assertThat(after.status()).isEqualTo(RunView.Status.SUCCEEDED);
      before
          .get(runId)
          .tasks()
          .forEach(
              (taskId, task) -> {
                if (task.status() == TaskView.Status.SUCCEEDED) {
                  assertThat(after.tasks().get(taskId)).as(runId + "/" + taskId).isEqualTo(task);
                }
              });
    }
    Map<String, Long> executions =
        new ArrayList<>(TestHandlers.EXECUTIONS)
            .stream()
                .filter(k -> runs.contains(k.split("/")[0]))
                .collect(
                    Collectors.groupingBy(
                        k -> k.substring(0, k.lastIndexOf('/')), Collectors.counting()));
    assertThat(executions)
        .hasSize(80)
        .allSatisfy((task, count) -> assertThat(count).as(task).isEqualTo(1L));
    client.close();
  }
}

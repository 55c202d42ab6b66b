package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.testkit.ChildJvm;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Killed processes lose nothing and duplicate nothing: workers and coordinators in JVMs of their
 * own.
 */
@ExtendWith(WeftStackExtension.class)
class CrashIT {

  private WeftInstallation kit;

  @AfterEach
  void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldCompleteEveryRunWithOneCommittedSuccessPerTaskWhenWorkersAreKilled(WeftStack stack)
      throws Exception {
    // given: a coordinator, and two worker JVMs running tasks that take 300 ms
    kit =
        WeftInstallation.forTests(stack, "worker-crash")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    List<ChildJvm> workers =
        new ArrayList<>(
            List.of(
                kit.startWorkerProcess(WeftInstallation.FAST_FAILURE_DETECTION, "slow"),
                kit.startWorkerProcess(WeftInstallation.FAST_FAILURE_DETECTION, "slow")));
    WeftClient client = kit.client();
    client.register(
        WorkflowDefinition.builder("pair", 1)
            .task(
                TaskDefinition.builder("first", "slow")
                    .param("millis", 300)
                    .timeout(Duration.ofSeconds(60)))
            .task(
                TaskDefinition.builder("second", "slow")
                    .dependsOn("first")
                    .param("millis", 300)
                    .timeout(Duration.ofSeconds(60)))
            .build());
    List<String> runs =
        IntStream.range(0, 50).mapToObj(i -> client.startRun("pair", Map.of())).toList();

    // when: 5 times, a worker is killed while it runs a task, and another one starts
    for (int kill = 0; kill < 5; kill++) {
      int startedBefore = started(runs);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> started(runs) > startedBefore);
      workers.remove(0).kill();
      workers.add(kit.startWorkerProcess(WeftInstallation.FAST_FAILURE_DETECTION, "slow"));
    }

    // then
    for (String runId : runs) {
      assertThat(client.awaitCompletion(runId, Duration.ofSeconds(180)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
    // the status can run ahead of the transaction that records it: wait for the log
    Map<String, Long> successes = new java.util.HashMap<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              successes.clear();
              successes.putAll(
                  kit.eventLog().events().stream()
                      .filter(e -> e.getEvent() instanceof TaskSucceeded)
                      .collect(
                          Collectors.groupingBy(
                              e -> e.getRunId() + "/" + ((TaskSucceeded) e.getEvent()).getTaskId(),
                              Collectors.counting())));
              return successes.size() >= 100;
            });
    assertThat(successes)
        .hasSize(100)
        .allSatisfy((task, count) -> assertThat(count).as(task).isEqualTo(1L));
  }

  @Test
  void shouldCompleteEveryRunWithOneCommittedRequestPerAttemptWhenTheCoordinatorIsKilled(
      WeftStack stack) throws Exception {
    // given: the coordinator in a JVM of its own, workers here; tasks of 100 ms, so that the
    // 1,000 of them take longer than the three kills (a worker runs 4 at a time)
    kit = WeftInstallation.forTests(stack, "coordinator-crash").withHandlers(new TestHandlers());
    ChildJvm coordinator = coordinator(kit);
    kit.startWorker(Map.of("worker.concurrency", "4"), "slow");
    WorkflowDefinition.Builder dag =
        WorkflowDefinition.builder("ten", 1)
            .task(TaskDefinition.builder("t0", "slow").param("millis", 100));
    for (int i = 1; i < 10; i++) {
      dag.task(
          TaskDefinition.builder("t" + i, "slow")
              .param("millis", 100)
              .dependsOn("t" + ((i - 1) / 3)));
    }
    kit.client().register(dag.build());
    List<String> runs =
        IntStream.range(0, 100).mapToObj(i -> kit.client().startRun("ten", Map.of())).toList();

    // when: 3 times, the coordinator is killed mid-way and started again
    for (int kill = 0; kill < 3; kill++) {
      int startedBefore = started(runs);
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> started(runs) > startedBefore + 20);
      coordinator.kill();
      coordinator = coordinator(kit);
    }

    // then
    for (String runId : runs) {
      assertThat(kit.client().awaitCompletion(runId, Duration.ofSeconds(180)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
    List<TaskRequest> requests = kit.eventLog().requests("slow");
    Map<String, Long> perAttempt =
        requests.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.getRunId() + "/" + r.getTaskId() + "/" + r.getAttempt(),
                    Collectors.counting()));
    assertThat(perAttempt)
        .hasSizeGreaterThanOrEqualTo(1000)
        .allSatisfy((attempt, count) -> assertThat(count).as(attempt).isEqualTo(1L));
  }

  private static ChildJvm coordinator(WeftInstallation kit) throws Exception {
    return kit.startCoordinatorProcess();
  }

  /** Tasks of these runs that a worker has started, per the committed event log. */
  private int started(List<String> runs) {
    List<RunEvent> events = kit.eventLog().events();
    return (int)
        events.stream()
            .filter(e -> e.getEvent() instanceof TaskStarted && runs.contains(e.getRunId()))
            .count();
  }
}

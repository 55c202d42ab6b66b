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
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.testkit.ChildJvm;
import io.weft.testkit.CommittedRecords;
import io.weft.testkit.EventLog;
import io.weft.testkit.TestScale;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Killed processes lose nothing and duplicate nothing: workers and coordinators in JVMs of their
 * own.
 */
@ExtendWith(WeftStackExtension.class)
class CrashIT {

  // the README's test command kills twice under 1,000 runs; ./bench --faults five times under 2,000
  private static final int RUNS = TestScale.pick(1_000, 2_000);
  private static final int TASKS_PER_RUN = 10;
  private static final int KILLS = TestScale.pick(2, 5);

  private WeftInstallation kit;

  @AfterEach
  void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldCommitOneSuccessPerTaskAndOneResultPerAttemptWhenWorkersAreKilledUnderLoad(
      WeftStack stack) throws Exception {
    // given: a coordinator, two worker JVMs of 8 handler slots, and RUNS runs of a 10-task DAG
    // of tasks that return at once, started together
    kit =
        WeftInstallation.forTests(stack, "worker-crash")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    Map<String, Object> workerSettings = new HashMap<>(WeftInstallation.FAST_FAILURE_DETECTION);
    workerSettings.put("worker.concurrency", "8");
    List<ChildJvm> workers =
        new ArrayList<>(
            List.of(
                kit.startWorkerProcess(workerSettings, "step"),
                kit.startWorkerProcess(workerSettings, "step")));
    WeftClient client = kit.client();
    WorkflowDefinition.Builder dag =
        WorkflowDefinition.builder("ten", 1).task(TaskDefinition.builder("t0", "step"));
    for (int i = 1; i < TASKS_PER_RUN; i++) {
      dag.task(TaskDefinition.builder("t" + i, "step").dependsOn("t" + ((i - 1) / 3)));
    }
    client.register(dag.build());
    int totalTasks = RUNS * TASKS_PER_RUN;
    try (CommittedRecords<RunEvent> events =
        new CommittedRecords<>(
            stack.bootstrapServers(),
            kit.topics().events(),
            new AvroDeserializer<>(
                RunEvent.class, Map.of("schema.registry.url", stack.schemaRegistryUrl())),
            Duration.ofMinutes(3))) {
      List<String> runs =
          IntStream.range(0, RUNS).mapToObj(i -> client.startRun("ten", Map.of())).toList();

      // when: KILLS times, spread over the load, a worker is killed (SIGKILL) and another one
      // starts
      for (int kill = 1; kill <= KILLS; kill++) {
        int due = kill * totalTasks / (KILLS + 2);
        long succeeded =
            count(
                events.awaitUntil(read -> count(read, TaskSucceeded.class) >= due),
                TaskSucceeded.class);
        workers.remove(0).kill();
        System.out.printf(
            "Kill %d of a worker JVM at %d of %d tasks succeeded%n", kill, succeeded, totalTasks);
        workers.add(kit.startWorkerProcess(workerSettings, "step"));
      }

      // then: every run succeeded; each task has one committed success
      List<ConsumerRecord<String, RunEvent>> log =
          events.awaitUntil(
              read -> count(read, RunSucceeded.class) + count(read, RunFailed.class) >= RUNS);
      assertThat(count(log, RunFailed.class)).isZero();
      assertThat(count(log, RunSucceeded.class)).isEqualTo(RUNS);
      Map<String, Long> successes =
          EventLog.successesPerTask(
              log.stream()
                  .map(ConsumerRecord::value)
                  .filter(e -> runs.contains(e.getRunId()))
                  .toList());
      assertThat(successes)
          .hasSize(totalTasks)
          .allSatisfy((task, count) -> assertThat(count).as(task).isEqualTo(1L));
    }
    // and: no attempt has two committed results, though the killed workers' were run again
    assertThat(kit.eventLog().resultsPerAttempt())
        .hasSizeGreaterThanOrEqualTo(totalTasks)
        .allSatisfy((attempt, count) -> assertThat(count).as(attempt).isEqualTo(1L));
  }

  private static long count(List<ConsumerRecord<String, RunEvent>> events, Class<?> type) {
    return events.stream().filter(r -> type.isInstance(r.value().getEvent())).count();
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

package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.Retry;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.TaskView;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.TaskFailed;
import io.weft.schemas.events.TaskRetrying;
import io.weft.schemas.events.TaskScheduled;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.events.TaskTimedOut;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine end to end: client, coordinator and workers on the real broker and registry. */
@ExtendWith(WeftStackExtension.class)
class EngineIT {

  private WeftInstallation kit;

  private WeftInstallation kit(WeftStack stack, TestInfo test, String... types) {
    kit =
        WeftInstallation.forTests(
                stack, test.getTestMethod().orElseThrow().getName().toLowerCase().substring(0, 12))
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(Map.of("worker.concurrency", "12"), types);
    return kit;
  }

  @AfterEach
  void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldStartTheJoinOnlyAfterBothBranchesAndPassItTheirOutputs(
      WeftStack stack, TestInfo test) {
    // given
    WeftClient client = kit(stack, test, "step").client();
    client.register(
        WorkflowDefinition.builder("diamond", 1)
            .task(TaskDefinition.builder("a", "step"))
            .task(TaskDefinition.builder("b", "step").dependsOn("a"))
            .task(TaskDefinition.builder("c", "step").dependsOn("a"))
            .task(
                TaskDefinition.builder("d", "step")
                    .dependsOn("b", "c")
                    .param("seen", "${tasks.b.outputs.from}/${tasks.c.outputs.from}"))
            .build());

    // when
    RunView run =
        client.awaitCompletion(client.startRun("diamond", Map.of()), Duration.ofSeconds(60));

    // then
    assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
    TaskView b = run.tasks().get("b");
    TaskView c = run.tasks().get("c");
    TaskView d = run.tasks().get("d");
    assertThat(d.scheduledAt()).isAfterOrEqualTo(b.finishedAt()).isAfterOrEqualTo(c.finishedAt());
    assertThat(d.outputs().get("upstream").toString()).isEqualTo("[\"b\",\"c\"]");
    List<TaskScheduled> scheduled = events(RunEvent::getEvent, TaskScheduled.class);
    assertThat(scheduled)
        .extracting(TaskScheduled::getTaskId)
        .containsExactlyInAnyOrder("a", "b", "c", "d");
  }

  @Test
  void shouldRunFiftyConcurrentRunsOfATenTaskDagExecutingEachTaskOnce(
      WeftStack stack, TestInfo test) {
    // given: a 10-task DAG, 3 wide
    WeftClient client = kit(stack, test, "step").client();
    WorkflowDefinition.Builder dag =
        WorkflowDefinition.builder("ten", 1).task(TaskDefinition.builder("t0", "step"));
    for (int i = 1; i < 10; i++) {
      dag.task(TaskDefinition.builder("t" + i, "step").dependsOn("t" + ((i - 1) / 3)));
    }
    client.register(dag.build());
    int before = TestHandlers.EXECUTIONS.size();

    // when
    long started = System.nanoTime();
    List<String> runs =
        IntStream.range(0, 50).mapToObj(i -> client.startRun("ten", Map.of())).toList();
    List<RunView> done =
        runs.stream().map(id -> client.awaitCompletion(id, Duration.ofSeconds(120))).toList();
    double seconds = (System.nanoTime() - started) / 1e9;

    // then
    assertThat(done).extracting(RunView::status).containsOnly(RunView.Status.SUCCEEDED);
    List<String> executed =
        new ArrayList<>(TestHandlers.EXECUTIONS).subList(before, TestHandlers.EXECUTIONS.size());
    Map<String, Long> perKey =
        executed.stream()
            .filter(k -> runs.contains(k.split("/")[0]))
            .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
    assertThat(perKey)
        .hasSize(500)
        .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1L));
    System.out.printf(
        "Load: 500 tasks of 50 runs in %.2f s: %.0f tasks/s%n", seconds, 500 / seconds);
    printLatencies(runs);
  }

  @Test
  void shouldFanOutOverTwentyElementsAndFanInEveryOutput(WeftStack stack, TestInfo test) {
    // given
    WeftClient client = kit(stack, test, "step").client();
    client.register(
        WorkflowDefinition.builder("fan", 1)
            .param("items", IntStream.range(0, 20).boxed().toList())
            .task(
                TaskDefinition.builder("each", "step")
                    .forEach("${params.items}")
                    .param("n", "${item}"))
            .task(
                TaskDefinition.builder("all", "step")
                    .dependsOn("each")
                    .param("froms", "${tasks.each.outputs.from}"))
            .build());

    // when
    RunView run = client.awaitCompletion(client.startRun("fan", Map.of()), Duration.ofSeconds(60));

    // then
    assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
    assertThat(run.tasks().keySet().stream().filter(id -> id.startsWith("each["))).hasSize(20);
    assertThat(run.tasks().get("each").outputs().get("from")).hasSize(20);
    assertThat(run.tasks().get("all").outputs().get("upstream")).hasSize(21);
  }

  @Test
  void shouldSkipATaskWhoseConditionIsFalseAndRunOneWhoseConditionHolds(
      WeftStack stack, TestInfo test) {
    // given
    WeftClient client = kit(stack, test, "step").client();
    client.register(
        WorkflowDefinition.builder("gates", 1)
            .param("threshold", 5)
            .task(TaskDefinition.builder("check", "step"))
            .task(
                TaskDefinition.builder("run-it", "step")
                    .dependsOn("check")
                    .when("${params.threshold} > 3 && ${tasks.check.outputs.from} == 'check'"))
            .task(
                TaskDefinition.builder("skip-it", "step")
                    .dependsOn("check")
                    .when("${params.threshold} > 10"))
            .task(TaskDefinition.builder("after", "step").dependsOn("run-it", "skip-it"))
            .build());

    // when
    RunView run =
        client.awaitCompletion(client.startRun("gates", Map.of()), Duration.ofSeconds(60));

    // then
    assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
    assertThat(run.tasks().get("run-it").status()).isEqualTo(TaskView.Status.SUCCEEDED);
    assertThat(run.tasks().get("skip-it").status()).isEqualTo(TaskView.Status.SKIPPED);
    assertThat(run.tasks().get("after").status()).isEqualTo(TaskView.Status.SUCCEEDED);
  }

  @Test
  void shouldRetryAFlakyTaskWithItsBackoffUntilAttemptThreeSucceeds(
      WeftStack stack, TestInfo test) {
    // given: fails on attempts 1 and 2; backoff 1 s, then 2 s
    WeftClient client = kit(stack, test, "flaky").client();
    client.register(
        WorkflowDefinition.builder("flaky", 1)
            .task(
                TaskDefinition.builder("t", "flaky")
                    .param("succeedOn", 3)
                    .retry(new Retry(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30))))
            .build());

    // when
    String runId = client.startRun("flaky", Map.of());
    RunView run = client.awaitCompletion(runId, Duration.ofSeconds(60));

    // then
    assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
    assertThat(run.tasks().get("t").attempt()).isEqualTo(3);
    List<RunEvent> log = kit.eventLog().runLog(runId);
    assertThat(log).filteredOn(e -> e.getEvent() instanceof TaskRetrying).hasSize(2);
    for (int attempt = 1; attempt <= 2; attempt++) {
      long expected = 1000L << (attempt - 1);
      RunEvent failed = find(log, TaskFailed.class, attempt);
      RunEvent next = find(log, TaskScheduled.class, attempt + 1);
      long waited = Duration.between(failed.getTimestamp(), next.getTimestamp()).toMillis();
      assertThat(waited)
          .as("wait before attempt %d", attempt + 1)
          .isBetween((long) (expected * 0.8), (long) (expected * 1.2));
    }
  }

  @Test
  void shouldFailTheRunAfterTheLastAttemptNamingTheHandlersError(WeftStack stack, TestInfo test) {
    // given
    WeftClient client = kit(stack, test, "failing").client();
    client.register(
        WorkflowDefinition.builder("doomed", 1)
            .task(
                TaskDefinition.builder("t", "failing")
                    .retry(new Retry(2, Duration.ofMillis(200), 2.0, Duration.ofSeconds(1))))
            .build());

    // when
    String runId = client.startRun("doomed", Map.of());
    RunView run = client.awaitCompletion(runId, Duration.ofSeconds(60));

    // then
    assertThat(run.status()).isEqualTo(RunView.Status.FAILED);
    assertThat(run.tasks().get("t").attempt()).isEqualTo(2);
    RunFailed failed =
        (RunFailed)
            kit.eventLog().runLog(runId).stream()
                .filter(e -> e.getEvent() instanceof RunFailed)
                .findFirst()
                .orElseThrow()
                .getEvent();
    assertThat(failed.getFailedTaskId()).isEqualTo("t");
    assertThat(failed.getError().getMessage()).contains("always fails: " + runId + "/t/2");
  }

  @Test
  void shouldTimeOutAHangingHandlerTwoSecondsAfterItsStartSignalItAndRetry(
      WeftStack stack, TestInfo test) {
    // given
    WeftClient client = kit(stack, test, "hang").client();
    client.register(
        WorkflowDefinition.builder("hangs", 1)
            .task(
                TaskDefinition.builder("t", "hang")
                    .timeout(Duration.ofSeconds(2))
                    .retry(new Retry(2, Duration.ofMillis(100), 1.0, Duration.ofMillis(100))))
            .build());

    // when
    String runId = client.startRun("hangs", Map.of());
    RunView run = client.awaitCompletion(runId, Duration.ofSeconds(60));

    // then: both attempts timed out, each 2 s (+ up to 2 s) after the start its worker reported,
    // and were told to stop
    assertThat(run.status()).isEqualTo(RunView.Status.FAILED);
    List<RunEvent> log = kit.eventLog().runLog(runId);
    for (int attempt = 1; attempt <= 2; attempt++) {
      TaskStarted started = (TaskStarted) find(log, TaskStarted.class, attempt).getEvent();
      long took =
          Duration.between(
                  started.getStartedAt(), find(log, TaskTimedOut.class, attempt).getTimestamp())
              .toMillis();
      assertThat(took).as("attempt %d timed out after its start", attempt).isBetween(2000L, 4000L);
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                TestHandlers.SAW_CANCEL.contains(runId + "/t/1")
                    && TestHandlers.SAW_CANCEL.contains(runId + "/t/2"));
  }

  @Test
  void shouldStartTheRetryOfATimedOutAttemptAndLetItSucceed(WeftStack stack, TestInfo test) {
    // given: a task whose first attempt outlives its 2 s timeout until told to stop
    WeftClient client = kit(stack, test, "slow-first", "step").client();
    client.register(
        WorkflowDefinition.builder("second-time", 1)
            .task(
                TaskDefinition.builder("t", "slow-first")
                    .timeout(Duration.ofSeconds(2))
                    .retry(new Retry(2, Duration.ofMillis(100), 1.0, Duration.ofMillis(100))))
            .build());
    client.register(
        WorkflowDefinition.builder("quick", 1).task(TaskDefinition.builder("q", "step")).build());

    // when: that run, and other runs beside it
    String runId = client.startRun("second-time", Map.of());
    List<String> others =
        java.util.stream.IntStream.range(0, 10)
            .mapToObj(i -> client.startRun("quick", Map.of()))
            .toList();

    // then: attempt 1 timed out and was told to stop, attempt 2 started and succeeded
    assertThat(client.awaitCompletion(runId, Duration.ofSeconds(60)).status())
        .isEqualTo(RunView.Status.SUCCEEDED);
    List<RunEvent> log = kit.eventLog().runLog(runId);
    assertThat(find(log, TaskTimedOut.class, 1)).isNotNull();
    assertThat(find(log, TaskStarted.class, 2)).isNotNull();
    assertThat(find(log, TaskSucceeded.class, 2)).isNotNull();
    assertThat(TestHandlers.SAW_CANCEL).contains(runId + "/t/1");
    for (String other : others) {
      assertThat(client.awaitCompletion(other, Duration.ofSeconds(30)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
  }

  @Test
  void shouldAbandonAHandlerThatIgnoresItsStopSignalAndRunTheRetryInItsFreedSlot(
      WeftStack stack, TestInfo test) {
    // given: one handler slot, a stop grace of 500 ms, and a first attempt that ignores its
    // timeout's stop signal for 30 s
    kit =
        WeftInstallation.forTests(stack, "abandons")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    Worker worker =
        kit.startWorker(
            Map.of("worker.concurrency", "1", "worker.stop.grace.ms", "500"), "deaf-first");
    WeftClient client = kit.client();
    client.register(
        WorkflowDefinition.builder("deaf", 1)
            .task(
                TaskDefinition.builder("t", "deaf-first")
                    .timeout(Duration.ofSeconds(1))
                    .retry(new Retry(2, Duration.ofMillis(100), 1.0, Duration.ofMillis(100))))
            .build());

    // when
    String runId = client.startRun("deaf", Map.of());

    // then: the retry ran in the slot the abandoned attempt left, long before the 30 s were up
    assertThat(client.awaitCompletion(runId, Duration.ofSeconds(15)).status())
        .isEqualTo(RunView.Status.SUCCEEDED);
    List<RunEvent> log = kit.eventLog().runLog(runId);
    assertThat(find(log, TaskTimedOut.class, 1)).isNotNull();
    assertThat(find(log, TaskStarted.class, 2)).isNotNull();
    assertThat(find(log, TaskSucceeded.class, 2)).isNotNull();
    assertThat(worker.abandoned()).isEqualTo(1);
  }

  @Test
  void shouldCancelARunAndSignalItsRunningTask(WeftStack stack, TestInfo test) {
    // given: a run whose task hangs
    WeftClient client = kit(stack, test, "hang").client();
    client.register(
        WorkflowDefinition.builder("cancel", 1)
            .task(TaskDefinition.builder("t", "hang").timeout(Duration.ofSeconds(50)))
            .build());
    String runId = client.startRun("cancel", Map.of());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                    .status(runId)
                    .map(
                        r ->
                            r.tasks().containsKey("t")
                                && r.tasks().get("t").status() == TaskView.Status.RUNNING)
                    .orElse(false));

    // when
    client.cancel(runId, "no longer needed");

    // then: the run ends CANCELLED and the handler sees the signal
    assertThat(client.awaitCompletion(runId, Duration.ofSeconds(30)).status())
        .isEqualTo(RunView.Status.CANCELLED);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> TestHandlers.SAW_CANCEL.contains(runId + "/t/1"));
  }

  @Test
  void shouldRerunOnlyTheFailedTaskWhenAFailedRunIsRetried(WeftStack stack, TestInfo test) {
    // given: a run that failed on its second task, whose attempts ran out before it could succeed
    WeftClient client = kit(stack, test, "step", "flaky").client();
    client.register(
        WorkflowDefinition.builder("retry-run", 1)
            .task(TaskDefinition.builder("first", "step"))
            .task(
                TaskDefinition.builder("second", "flaky")
                    .dependsOn("first")
                    .param("succeedOn", 3)
                    .retry(new Retry(2, Duration.ofMillis(100), 1.0, Duration.ofMillis(100))))
            .task(TaskDefinition.builder("third", "step").dependsOn("second"))
            .build());
    String runId = client.startRun("retry-run", Map.of());
    assertThat(client.awaitCompletion(runId, Duration.ofSeconds(60)).status())
        .isEqualTo(RunView.Status.FAILED);

    // when
    client.retry(runId);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.status(runId).map(r -> r.status() != RunView.Status.FAILED).orElse(false));
    RunView run = client.awaitCompletion(runId, Duration.ofSeconds(60));

    // then: attempt 3 of the failed task succeeded, the first task did not run again
    assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
    assertThat(run.tasks().get("second").attempt()).isEqualTo(3);
    assertThat(TestHandlers.EXECUTIONS)
        .filteredOn(k -> k.startsWith(runId + "/first/"))
        .containsExactly(runId + "/first/1");
  }

  @Test
  void shouldStartARunOnceForOneRunKey(WeftStack stack, TestInfo test) {
    // given
    WeftClient client = kit(stack, test, "step").client();
    client.register(
        WorkflowDefinition.builder("once", 1).task(TaskDefinition.builder("t", "step")).build());

    // when
    String first = client.startRun("once", null, Map.of(), "nightly-2026-11-27");
    String second = client.startRun("once", null, Map.of(), "nightly-2026-11-27");

    // then
    assertThat(second).isEqualTo(first);
    assertThat(client.awaitCompletion(first, Duration.ofSeconds(60)).status())
        .isEqualTo(RunView.Status.SUCCEEDED);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> kit.coordinator().stats().ignored() >= 1);
    assertThat(TestHandlers.EXECUTIONS)
        .filteredOn(k -> k.startsWith(first + "/"))
        .containsExactly(first + "/t/1");
  }

  @Test
  void shouldSpreadRunsOverTwoCoordinatorInstancesAndAnswerForAllFromEither(
      WeftStack stack, TestInfo test) {
    // given: a second instance of the same coordinator
    WeftClient client = kit(stack, test, "step").client();
    io.weft.core.api.Coordinator second =
        io.weft.core.api.Coordinator.start(withQueryPortAndState(kit.coordinatorSettings()));
    try {
      kit.awaitCoordinatorInstances(2);
      client.register(
          WorkflowDefinition.builder("spread", 1)
              .task(TaskDefinition.builder("t", "step"))
              .build());

      // when
      List<String> runs =
          IntStream.range(0, 20).mapToObj(i -> client.startRun("spread", Map.of())).toList();

      // then: every run completes, and both instances answer for every run
      runs.forEach(
          id ->
              assertThat(client.awaitCompletion(id, Duration.ofSeconds(60)).status())
                  .isEqualTo(RunView.Status.SUCCEEDED));
      try (WeftClient viaSecond =
          WeftClient.create(
              Map.of(
                  "bootstrap.servers",
                  stack.bootstrapServers(),
                  "schema.registry.url",
                  stack.schemaRegistryUrl(),
                  "weft.topic.prefix",
                  kit.topics().prefix(),
                  "weft.query.url",
                  second.queryUrl()))) {
        runs.forEach(id -> assertThat(viaSecond.status(id)).isPresent());
        List<RunView> listed = viaSecond.runs(RunView.Status.SUCCEEDED, 100);
        assertThat(listed).extracting(RunView::runId).containsAll(runs);
        // newest first, over both instances' runs, and a limit keeps the newest
        assertThat(listed)
            .extracting(RunView::startedAt)
            .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(viaSecond.runs(RunView.Status.SUCCEEDED, 5))
            .extracting(RunView::runId)
            .containsExactlyElementsOf(listed.subList(0, 5).stream().map(RunView::runId).toList());
      }
      assertThat(kit.coordinator().stats().dispatched()).isPositive();
      assertThat(second.stats().dispatched()).isPositive();
    } finally {
      second.close();
    }
  }

  private static Map<String, Object> withQueryPortAndState(Map<String, Object> settings) {
    Map<String, Object> copy = new HashMap<>(settings);
    copy.put("state.dir", settings.get("state.dir") + "-second");
    return copy;
  }

  /** Where the time of a task goes: waiting for a worker, then running and reporting back. */
  private void printLatencies(List<String> runs) {
    Map<String, java.time.Instant> scheduled = new HashMap<>();
    Map<String, java.time.Instant> started = new HashMap<>();
    long waiting = 0;
    long running = 0;
    long tasks = 0;
    for (RunEvent e : kit.eventLog().events()) {
      if (!runs.contains(e.getRunId())) {
        continue;
      }
      if (e.getEvent() instanceof TaskScheduled s) {
        scheduled.put(e.getRunId() + "/" + s.getTaskId(), e.getTimestamp());
      } else if (e.getEvent() instanceof io.weft.schemas.events.TaskStarted s) {
        started.put(e.getRunId() + "/" + s.getTaskId(), e.getTimestamp());
      } else if (e.getEvent() instanceof TaskSucceeded s) {
        String key = e.getRunId() + "/" + s.getTaskId();
        waiting += Duration.between(scheduled.get(key), started.get(key)).toMillis();
        running += Duration.between(started.get(key), e.getTimestamp()).toMillis();
        tasks++;
      }
    }
    System.out.printf(
        "Load: a task waited %d ms for a worker and took %d ms from start to recorded success (means of %d)%n",
        waiting / tasks, running / tasks, tasks);
  }

  private <T> List<T> events(java.util.function.Function<RunEvent, Object> body, Class<T> type) {
    return kit.eventLog().events().stream()
        .map(body)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private static RunEvent find(List<RunEvent> log, Class<?> type, int attempt) {
    Map<Class<?>, java.util.function.ToIntFunction<Object>> attempts = new HashMap<>();
    attempts.put(TaskFailed.class, e -> ((TaskFailed) e).getAttempt());
    attempts.put(TaskScheduled.class, e -> ((TaskScheduled) e).getAttempt());
    attempts.put(TaskStarted.class, e -> ((TaskStarted) e).getAttempt());
    attempts.put(TaskTimedOut.class, e -> ((TaskTimedOut) e).getAttempt());
    attempts.put(TaskSucceeded.class, e -> ((TaskSucceeded) e).getAttempt());
    return log.stream()
        .filter(
            e ->
                type.isInstance(e.getEvent())
                    && attempts.get(type).applyAsInt(e.getEvent()) == attempt)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + type.getSimpleName() + " for attempt " + attempt + " in " + log));
  }
}

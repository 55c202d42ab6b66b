package io.weft.core.internals.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.OnFailure;
import io.weft.core.api.Resources;
import io.weft.core.api.Retry;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunResumed;
import io.weft.schemas.events.TaskRetrying;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunEngineTest {

  private static WorkflowDefinition diamond() {
    return WorkflowDefinition.builder("diamond", 1)
        .task(TaskDefinition.builder("a", "noop"))
        .task(TaskDefinition.builder("b", "noop").dependsOn("a"))
        .task(TaskDefinition.builder("c", "noop").dependsOn("a"))
        .task(
            TaskDefinition.builder("d", "noop")
                .dependsOn("b", "c")
                .param("fromB", "${tasks.b.outputs.x}"))
        .build();
  }

  private static TaskOutput json(String text) {
    return new TaskOutput(text, null);
  }

  @Test
  void shouldStartTheJoinOnlyAfterBothBranchesSucceeded() {
    // given
    EngineHarness run = new EngineHarness(diamond()).start();
    assertThat(run.dispatched()).containsExactly("a#1");

    // when
    run.succeed("a").succeed("b", Map.of("x", json("42")));

    // then: d waits for c
    assertThat(run.dispatched()).containsExactly("a#1", "b#1", "c#1");

    // when
    run.succeed("c", Map.of("y", json("\"hello\"")));

    // then: d receives both outputs, with the reference resolved to a typed value
    assertThat(run.dispatched()).containsExactly("a#1", "b#1", "c#1", "d#1");
    var request = run.lastRequest("d");
    assertThat(request.getUpstream()).containsOnlyKeys("b", "c");
    assertThat(request.getUpstream().get("c").get("y").getJson()).isEqualTo("\"hello\"");
    assertThat(request.getParams()).containsEntry("fromB", "42");
    assertThat(request.getIdempotencyKey()).isEqualTo("run-1/d/1");

    // when
    run.succeed("d");

    // then
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.eventNames()).first().isEqualTo("RunStarted");
    assertThat(run.eventNames()).last().isEqualTo("RunSucceeded");
  }

  @Test
  void shouldIgnoreARedeliveredResult() {
    // given
    EngineHarness run = new EngineHarness(diamond()).start().succeed("a").succeed("b");
    int events = run.events.size();

    // when: b's result arrives again
    run.succeedAttempt("b", 1);

    // then: nothing changes, d is still waiting for c
    assertThat(run.events).hasSize(events);
    assertThat(run.ignored).hasSize(1).first().asString().contains("SUCCEEDED");
    assertThat(run.dispatched()).doesNotContain("d#1");
  }

  @Test
  void shouldRetryWithExponentialBackoffThenSucceed() {
    // given
    Retry retry = new Retry(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));
    WorkflowDefinition flaky =
        WorkflowDefinition.builder("flaky", 1)
            .task(TaskDefinition.builder("t", "flaky").retry(retry))
            .build();
    EngineHarness run = new EngineHarness(flaky).start();

    // when: attempt 1 fails
    run.fail("t", true);

    // then: attempt 2 is due 1 s later, not before
    TaskRetrying first = (TaskRetrying) run.events.get(run.events.size() - 1).getEvent();
    assertThat(first.getNextAttempt()).isEqualTo(2);
    assertThat(Duration.between(run.now(), first.getRetryAt())).isEqualTo(Duration.ofSeconds(1));
    run.advance(Duration.ofMillis(999));
    assertThat(run.dispatched()).containsExactly("t#1");
    run.advance(Duration.ofMillis(1));
    assertThat(run.dispatched()).containsExactly("t#1", "t#2");

    // when: attempt 2 fails, the backoff doubles
    run.fail("t", true);
    TaskRetrying second = (TaskRetrying) run.events.get(run.events.size() - 1).getEvent();
    assertThat(Duration.between(run.now(), second.getRetryAt())).isEqualTo(Duration.ofSeconds(2));
    run.advance(Duration.ofSeconds(2)).succeed("t");

    // then
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.state().getTasks().get("t").getAttempt()).isEqualTo(3);
    assertThat(run.eventNames()).filteredOn(n -> n.startsWith("TaskRetrying")).hasSize(2);
  }

  @Test
  void shouldFailTheRunAfterTheLastAttemptWithTheHandlersMessage() {
    // given
    WorkflowDefinition doomed =
        WorkflowDefinition.builder("doomed", 1)
            .task(TaskDefinition.builder("t", "x").retry(Retry.attempts(2)))
            .build();

    // when
    EngineHarness run =
        new EngineHarness(doomed)
            .start()
            .fail("t", true)
            .advance(Duration.ofSeconds(1))
            .fail("t", true);

    // then
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.FAILED);
    RunFailed failed = (RunFailed) run.events.get(run.events.size() - 1).getEvent();
    assertThat(failed.getFailedTaskId()).isEqualTo("t");
    assertThat(failed.getError().getMessage()).contains("boom in t");
  }

  @Test
  void shouldNotRetryANonRetryableError() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(TaskDefinition.builder("t", "x").retry(Retry.attempts(5)))
            .build();

    // when
    EngineHarness run = new EngineHarness(def).start().fail("t", false);

    // then
    assertThat(run.dispatched()).containsExactly("t#1");
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void shouldTimeOutAHangingAttemptAndRetryIt() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(
                TaskDefinition.builder("t", "x")
                    .timeout(Duration.ofSeconds(5))
                    .retry(Retry.attempts(2)))
            .build();
    EngineHarness run = new EngineHarness(def).start().heartbeat("t");

    // when
    run.advance(Duration.ofSeconds(5));

    // then
    assertThat(run.eventNames()).contains("TaskStarted(t)", "TaskTimedOut(t)", "TaskRetrying(t)");
    run.advance(Duration.ofSeconds(1));
    assertThat(run.dispatched()).containsExactly("t#1", "t#2");
    assertThat(run.status("t")).isEqualTo(TaskStatus.SCHEDULED);
  }

  @Test
  void shouldIgnoreTheResultOfATimedOutAttempt() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(
                TaskDefinition.builder("t", "x")
                    .timeout(Duration.ofSeconds(5))
                    .retry(Retry.attempts(2)))
            .build();
    EngineHarness run =
        new EngineHarness(def).start().heartbeat("t").advance(Duration.ofSeconds(6));

    // when: attempt 1 reports late
    run.succeedAttempt("t", 1);

    // then
    assertThat(run.ignored).hasSize(1);
    assertThat(run.status("t")).isEqualTo(TaskStatus.SCHEDULED);
  }

  @Test
  void shouldCountTheTimeoutFromTheAttemptsStartNotItsDispatch() {
    // given: an attempt that waits 10 s for a worker, longer than its 5 s timeout
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(
                TaskDefinition.builder("t", "x")
                    .timeout(Duration.ofSeconds(5))
                    .retry(Retry.attempts(2)))
            .build();
    EngineHarness run = new EngineHarness(def).start().advance(Duration.ofSeconds(10));
    assertThat(run.eventNames()).noneMatch(e -> e.startsWith("TaskTimedOut"));

    // when: it starts, then runs 4 s, then 2 s more
    run.heartbeat("t").advance(Duration.ofSeconds(4));
    assertThat(run.eventNames()).noneMatch(e -> e.startsWith("TaskTimedOut"));
    run.advance(Duration.ofSeconds(2));

    // then: it timed out 5 s after its start, and its retry is planned
    assertThat(run.eventNames()).anyMatch(e -> e.startsWith("TaskTimedOut"));
    assertThat(run.lastTimedOut().getBeforeStart()).isFalse();
    assertThat(run.lastTimedOut().getTimeoutMs()).isEqualTo(5_000);
    assertThat(run.lastRequest("t").getTimeoutMs()).isEqualTo(5_000);
  }

  @Test
  void shouldCountTheTimeoutFromTheStartTheFirstHeartbeatReportsNotFromItsArrival() {
    // given: an attempt with a 5 s timeout, whose first heartbeat comes 3 s after its start
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(TaskDefinition.builder("t", "x").timeout(Duration.ofSeconds(5)))
            .build();
    EngineHarness run = new EngineHarness(def).start().advance(Duration.ofSeconds(4));
    Instant started = run.now().minusSeconds(3);

    // when
    run.heartbeat("t", started).advance(Duration.ofMillis(1_999));
    assertThat(run.eventNames()).noneMatch(e -> e.startsWith("TaskTimedOut"));
    run.advance(Duration.ofMillis(1));

    // then: it timed out 5 s after the start the worker reported
    TaskStarted start = run.last(TaskStarted.class);
    assertThat(start.getStartedAt()).isEqualTo(started);
    assertThat(start.getDeadline()).isEqualTo(started.plusSeconds(5));
    assertThat(run.lastTimedOut().getBeforeStart()).isFalse();
    assertThat(run.state().getTasks().get("t").getStartedAt()).isEqualTo(started);
  }

  @Test
  void shouldRecordTheStartOfAnAttemptThatSentNoHeartbeatFromItsResult() {
    // given
    EngineHarness run = new EngineHarness(diamond()).start().advance(Duration.ofSeconds(2));
    Instant started = run.now().minusMillis(1_500);

    // when: its result is the first the coordinator hears of it
    run.succeedStartedAt("a", started);

    // then
    assertThat(run.eventNames())
        .containsSubsequence("TaskScheduled(a)", "TaskStarted(a)", "TaskSucceeded(a)");
    TaskStarted start = run.last(TaskStarted.class);
    assertThat(start.getStartedAt()).isEqualTo(started);
    assertThat(start.getDeadline()).isNull();
    assertThat(run.state().getTasks().get("a").getStartedAt()).isEqualTo(started);
  }

  @Test
  void shouldTimeOutAnAttemptNoWorkerStartedWithinItsQueueTimeout() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(
                TaskDefinition.builder("t", "x")
                    .queueTimeout(Duration.ofSeconds(2))
                    .retry(Retry.attempts(2)))
            .build();
    EngineHarness run = new EngineHarness(def).start();
    Instant dispatched = run.now();

    // when
    run.advance(Duration.ofSeconds(3));

    // then: timed out before its start; the request told workers to start it by then
    assertThat(run.lastTimedOut().getBeforeStart()).isTrue();
    assertThat(run.lastTimedOut().getTimeoutMs()).isEqualTo(2_000);
    assertThat(run.dispatched()).containsExactly("t#1", "t#2");
    assertThat(run.requests.get(0).getStartBy()).isEqualTo(dispatched.plusSeconds(2));
  }

  @Test
  void shouldNotTimeOutAStartedAttemptAtItsQueueTimeout() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(
                TaskDefinition.builder("t", "x")
                    .queueTimeout(Duration.ofSeconds(2))
                    .timeout(Duration.ofSeconds(30)))
            .build();
    EngineHarness run = new EngineHarness(def).start().advance(Duration.ofSeconds(1));

    // when: it starts before its queue timeout, then runs past it
    run.heartbeat("t").advance(Duration.ofSeconds(20));

    // then
    assertThat(run.eventNames()).noneMatch(e -> e.startsWith("TaskTimedOut"));
    assertThat(run.status("t")).isEqualTo(TaskStatus.RUNNING);
    assertThat(run.ignored).contains("timeout overtaken: the attempt started, its deadline moved");
  }

  @Test
  void shouldFanOutOverAListAndFanInEveryChildsOutput() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("sweep", 1)
            .param("grid", List.of(0.1, 0.01, 0.001))
            .task(
                TaskDefinition.builder("train", "train")
                    .forEach("${params.grid}")
                    .param("lr", "${item}"))
            .task(
                TaskDefinition.builder("pick", "select-best")
                    .dependsOn("train")
                    .param("all", "${tasks.train.outputs.acc}"))
            .build();
    EngineHarness run = new EngineHarness(def).start();

    // then: one child per element, with its item
    assertThat(run.dispatched()).containsExactly("train[0]#1", "train[1]#1", "train[2]#1");
    assertThat(run.lastRequest("train[1]").getParams()).containsEntry("lr", "0.01");

    // when
    for (int i = 0; i < 3; i++) {
      run.succeed("train[" + i + "]", Map.of("acc", json(String.valueOf(0.9 + i / 100.0))));
    }

    // then: the fan-in sees every child's output, in order
    var pick = run.lastRequest("pick");
    assertThat(pick.getUpstream()).containsKeys("train", "train[0]", "train[1]", "train[2]");
    assertThat(pick.getParams()).containsEntry("all", "[0.9,0.91,0.92]");
  }

  @Test
  void shouldCountTheSucceededChildrenOfAStateWrittenBeforeTheCountExisted() {
    // given: a fan-out of three, two children done, then its count lost (an older state)
    WorkflowDefinition def =
        WorkflowDefinition.builder("sweep", 1)
            .param("grid", List.of(1, 2, 3))
            .task(TaskDefinition.builder("train", "train").forEach("${params.grid}"))
            .task(TaskDefinition.builder("pick", "select-best").dependsOn("train"))
            .build();
    EngineHarness run = new EngineHarness(def).start().succeed("train[0]").succeed("train[2]");
    assertThat(run.state().getTasks().get("train").getSucceededChildren()).isEqualTo(2);
    run.state().getTasks().get("train").setSucceededChildren(null);

    // when
    run.succeed("train[1]");

    // then: the children were counted, the fan-out settled, the next task was dispatched
    assertThat(run.status("train")).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(run.dispatched()).contains("pick#1");
  }

  @Test
  void shouldFailAFanOutWhoseAggregatedOutputsWouldPassTheRecordLimit() {
    // given: 20 children, each with a 1 KB output, and a 16 KB limit
    WorkflowDefinition def =
        WorkflowDefinition.builder("sweep", 1)
            .param("grid", Collections.nCopies(20, 1))
            .task(TaskDefinition.builder("train", "train").forEach("${params.grid}"))
            .task(TaskDefinition.builder("pick", "select-best").dependsOn("train"))
            .build();
    EngineHarness run = new EngineHarness(def, 16 * 1024).start();
    String kilobyte = "\"" + "x".repeat(1024) + "\"";

    // when
    for (int i = 0; i < 20; i++) {
      run.succeed("train[" + i + "]", Map.of("log", json(kilobyte)));
    }

    // then: the fan-out failed naming the limit, nothing went downstream, the run failed
    assertThat(run.status("train")).isEqualTo(TaskStatus.FAILED);
    RunFailed failed = run.last(RunFailed.class);
    assertThat(failed.getError().getErrorClass()).isEqualTo("weft.TooLarge");
    assertThat(failed.getError().getMessage())
        .contains("task 'train'", "its 20 children", "over the limit of 16384");
    assertThat(run.dispatched()).noneMatch(d -> d.startsWith("pick"));
  }

  @Test
  void shouldFailATaskWhoseRequestWouldPassTheRecordLimitWithoutDispatchingIt() {
    // given: a 20 KB output upstream of a task, and a 16 KB limit
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(TaskDefinition.builder("a", "x"))
            .task(TaskDefinition.builder("b", "x").dependsOn("a"))
            .build();
    EngineHarness run = new EngineHarness(def, 16 * 1024).start();

    // when
    run.succeed("a", Map.of("blob", json("\"" + "y".repeat(20 * 1024) + "\"")));

    // then
    assertThat(run.dispatched()).containsExactly("a#1");
    assertThat(run.status("b")).isEqualTo(TaskStatus.FAILED);
    RunFailed failed = run.last(RunFailed.class);
    assertThat(failed.getError().getErrorClass()).isEqualTo("weft.TooLarge");
    assertThat(failed.getError().getMessage())
        .contains("task 'b'", "its request would be about", "over the limit of 16384");
  }

  @Test
  void shouldSucceedAnEmptyFanOutAtOnce() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .param("grid", List.of())
            .task(TaskDefinition.builder("t", "x").forEach("${params.grid}"))
            .build();

    // when
    EngineHarness run = new EngineHarness(def).start();

    // then
    assertThat(run.dispatched()).isEmpty();
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void shouldSkipATaskWhoseConditionIsFalseAndRunOneWhoseConditionHolds() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(TaskDefinition.builder("eval", "x"))
            .task(
                TaskDefinition.builder("promote", "x")
                    .dependsOn("eval")
                    .when("${tasks.eval.outputs.acc} >= 0.9"))
            .task(
                TaskDefinition.builder("alert", "x")
                    .dependsOn("eval")
                    .when("${tasks.eval.outputs.acc} < 0.9"))
            .task(TaskDefinition.builder("report", "x").dependsOn("promote", "alert"))
            .build();

    // when
    EngineHarness run = new EngineHarness(def).start().succeed("eval", Map.of("acc", json("0.95")));

    // then: alert skipped, promote runs, and report follows (a skip counts as done)
    assertThat(run.eventNames()).contains("TaskSkipped(alert)");
    assertThat(run.dispatched()).containsExactly("eval#1", "promote#1");
    run.succeed("promote");
    assertThat(run.dispatched()).containsExactly("eval#1", "promote#1", "report#1");
  }

  @Test
  void shouldCancelTheRunAndIgnoreLaterResults() {
    // given
    EngineHarness run = new EngineHarness(diamond()).start().succeed("a");

    // when
    run.cancel();
    run.succeedAttempt("b", 1);

    // then
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.status("b")).isEqualTo(TaskStatus.CANCELLED);
    assertThat(run.status("c")).isEqualTo(TaskStatus.CANCELLED);
    assertThat(run.ignored).hasSize(1);
  }

  @Test
  void shouldRerunOnlyFailedAndUnrunTasksOnRetryRun() {
    // given: b fails for good, c is cancelled with the run, d never ran
    EngineHarness run = new EngineHarness(diamond()).start().succeed("a").fail("b", false);
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.FAILED);

    // when
    run.retryRun().advance(Duration.ZERO);

    // then: b and c run again (new attempts), a does not
    assertThat(run.dispatched()).containsExactly("a#1", "b#1", "c#1", "b#2", "c#2");
    run.succeed("b", Map.of("x", json("1"))).succeed("c").succeed("d");
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void shouldContinuePastAFailureWhenTheTaskSaysSo() {
    // given
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .task(TaskDefinition.builder("optional", "x").onFailure(OnFailure.CONTINUE))
            .task(TaskDefinition.builder("after", "x").dependsOn("optional"))
            .task(TaskDefinition.builder("main", "x"))
            .build();

    // when
    EngineHarness run = new EngineHarness(def).start().fail("optional", false).succeed("main");

    // then: the dependant is skipped, the rest completes
    assertThat(run.eventNames()).contains("TaskSkipped(after)");
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void shouldFailATaskWhoseReferenceCannotBeResolved() {
    // given: b succeeds without the output d refers to
    EngineHarness run = new EngineHarness(diamond()).start().succeed("a").succeed("b").succeed("c");

    // then
    assertThat(run.dispatched()).doesNotContain("d#1");
    RunFailed failed = (RunFailed) run.events.get(run.events.size() - 1).getEvent();
    assertThat(failed.getFailedTaskId()).isEqualTo("d");
    assertThat(failed.getError().getErrorClass()).isEqualTo("weft.ParameterError");
    assertThat(failed.getError().getMessage()).contains("${tasks.b.outputs.x}");
  }

  @Test
  void shouldFailAForEachWhoseChildrensParamsCannotResolveNamingTheReferenceAndTheElement() {
    // given: elements that are numbers, children that read a field of them
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .param("grid", List.of(1, 2))
            .task(
                TaskDefinition.builder("fan", "x")
                    .forEach("${params.grid}")
                    .param("model", "${item.lr}"))
            .build();

    // when
    EngineHarness run =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> new EngineHarness(def).start());

    // then: the run failed at once, and nothing was dispatched
    RunFailed failed = run.last(RunFailed.class);
    assertThat(failed.getFailedTaskId()).isEqualTo("fan");
    assertThat(failed.getError().getErrorClass()).isEqualTo("weft.ParameterError");
    assertThat(failed.getError().getMessage()).contains("${item.lr}", "fan[0]");
    assertThat(run.dispatched()).isEmpty();
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void shouldFailAStartOfAnUnknownWorkflowOrWithUnknownParams() {
    // given
    WorkflowDefinition def = diamond();

    // when
    EngineHarness run = new EngineHarness(def).start(Map.of("nope", "1"));

    // then
    RunFailed failed = (RunFailed) run.events.get(run.events.size() - 1).getEvent();
    assertThat(failed.getError().getMessage()).contains("unknown parameters [nope]");
    assertThat(run.dispatched()).isEmpty();
  }

  @Test
  void shouldCarryATasksDeclaredResourcesInItsRequests() {
    // given
    WorkflowDefinition sized =
        WorkflowDefinition.builder("sized", 1)
            .task(TaskDefinition.builder("t", "x").resources(new Resources(0.5, 1L << 30, 1)))
            .task(TaskDefinition.builder("u", "x").dependsOn("t"))
            .build();

    // when
    EngineHarness run = new EngineHarness(sized).start().succeed("t");

    // then
    assertThat(Resources.of(run.lastRequest("t").getResources()))
        .isEqualTo(new Resources(0.5, 1L << 30, 1));
    assertThat(run.lastRequest("u").getResources()).isNull();
  }

  @Test
  void shouldDispatchNothingNewWhilePausedAndKeepTheResultsOfInFlightTasks() {
    // given: b and c in flight
    EngineHarness run = new EngineHarness(diamond()).start().succeed("a");

    // when: paused, then b and c finish
    run.pause().succeed("b", Map.of("x", json("1"))).succeed("c");

    // then: their results are kept, d waits
    assertThat(run.state().getPaused()).isTrue();
    assertThat(run.status("b")).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(run.status("c")).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(run.dispatched()).containsExactly("a#1", "b#1", "c#1");
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.RUNNING);

    // when
    run.resume();

    // then: d goes now, and the run ends as usual
    assertThat(run.eventNames()).contains("RunPaused", "RunResumed");
    assertThat(run.dispatched()).containsExactly("a#1", "b#1", "c#1", "d#1");
    run.succeed("d");
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.state().getPaused()).isFalse();
  }

  @Test
  void shouldHoldARetryThatFallsDueWhilePausedUntilResumed() {
    // given
    WorkflowDefinition flaky =
        WorkflowDefinition.builder("flaky", 1)
            .task(TaskDefinition.builder("t", "flaky").retry(Retry.attempts(3)))
            .build();
    EngineHarness run = new EngineHarness(flaky).start().pause();

    // when: the in-flight attempt fails and its retry falls due while paused
    run.fail("t", true).advance(Duration.ofMinutes(5));

    // then
    assertThat(run.status("t")).isEqualTo(TaskStatus.RETRY_PENDING);
    assertThat(run.dispatched()).containsExactly("t#1");
    assertThat(run.ignored).anySatisfy(why -> assertThat(why).contains("retry held"));

    // when
    run.resume();

    // then
    assertThat(run.dispatched()).containsExactly("t#1", "t#2");
    assertThat(run.events.get(run.events.size() - 2).getEvent())
        .isInstanceOfSatisfying(
            RunResumed.class, resumed -> assertThat(resumed.getHeldTasks()).isEqualTo(1));
  }

  @Test
  void shouldEndAPausedRunWhoseLastTaskFinishes() {
    // given: the only task in flight
    WorkflowDefinition one =
        WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("t", "x")).build();
    EngineHarness run = new EngineHarness(one).start().pause();

    // when
    run.succeed("t");

    // then: nothing was held back, so the run ends
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void shouldIgnoreAPauseOfAPausedOrEndedRunAndAResumeOfARunningOne() {
    // given
    EngineHarness run = new EngineHarness(diamond()).start();

    // when
    run.resume().pause().pause();

    // then
    assertThat(run.ignored)
        .hasSize(2)
        .satisfies(
            why -> {
              assertThat(why.get(0)).contains("not paused");
              assertThat(why.get(1)).contains("paused already");
            });

    // when: cancelled while paused, then paused again
    run.cancel().pause();

    // then
    assertThat(run.state().getStatus()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.state().getPaused()).isFalse();
    assertThat(run.ignored).hasSize(3).last().asString().contains("not running");
  }

  @Test
  void shouldRebuildTheSameStateByFoldingTheEvents() {
    // given: a run that went through retries, a pause, a fan-out and a skip
    WorkflowDefinition def =
        WorkflowDefinition.builder("w", 1)
            .param("grid", List.of(1, 2))
            .task(TaskDefinition.builder("a", "x").retry(Retry.attempts(2)))
            .task(
                TaskDefinition.builder("fan", "x")
                    .dependsOn("a")
                    .forEach("${params.grid}")
                    .param("n", "${item}"))
            .task(TaskDefinition.builder("gate", "x").dependsOn("fan").when("false"))
            .build();
    EngineHarness run =
        new EngineHarness(def)
            .start()
            .fail("a", true)
            .advance(Duration.ofSeconds(1))
            .pause()
            .succeed("a")
            .resume()
            .succeed("fan[0]");

    // when
    RunState folded = null;
    for (RunEvent event : run.events) {
      folded = EventApplier.apply(folded, event);
    }

    // then
    assertThat(folded).isEqualTo(run.state());
  }
}

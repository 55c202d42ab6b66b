package io.weft.core.internals.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.DeadLetterHeaders;
import io.weft.core.api.Resources;
import io.weft.core.api.Retry;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskTimedOut;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskStatus;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The coordinator's topology, driven record by record without a broker. */
class CoordinatorTopologyTest extends TopologyTestBase {

  @Test
  void shouldDispatchKeyedByTaskAndRunAChainToSuccess() {
    // given
    register(
        WorkflowDefinition.builder("chain", 1)
            .task(TaskDefinition.builder("a", "noop"))
            .task(TaskDefinition.builder("b", "noop").dependsOn("a"))
            .build());

    // when
    start("r1", "chain");
    var a = tasks.readKeyValue();
    succeed(a.value);
    var b = tasks.readKeyValue();
    succeed(b.value);

    // then
    assertThat(a.key).isEqualTo("r1/a");
    assertThat(b.key).isEqualTo("r1/b");
    List<RunEvent> log = events.readValuesToList();
    assertThat(log)
        .extracting(RunEvent::getSequence)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(log.get(log.size() - 1).getEvent()).isInstanceOf(RunSucceeded.class);
    KeyValueStore<String, RunState> runs = driver.getKeyValueStore(CoordinatorTopology.RUNS_STORE);
    assertThat(runs.get("r1").getStatus()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void shouldDispatchATaskThatNeedsAGpuToItsTypesGpuPool() {
    // given
    register(
        WorkflowDefinition.builder("mixed", 1)
            .task(TaskDefinition.builder("cpu", "noop").resources(new Resources(2.0, null, null)))
            .task(TaskDefinition.builder("gpu", "noop").resources(new Resources(null, null, 1)))
            .build());
    TestOutputTopic<String, TaskRequest> gpuPool =
        driver.createOutputTopic(
            TOPICS.tasks("noop.gpu"),
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new io.weft.schemas.serde.AvroDeserializer<>(TaskRequest.class, SERDE));

    // when
    start("r1", "mixed");

    // then
    assertThat(tasks.readValuesToList()).extracting(TaskRequest::getTaskId).containsExactly("cpu");
    assertThat(gpuPool.readValuesToList())
        .singleElement()
        .satisfies(r -> assertThat(r.getResources().getGpu()).isEqualTo(1));
  }

  @Test
  void shouldFailARunWhoseProcessingThrowsAloneAndGoOnWithTheNextRunOfThePartition() {
    // given: an engine that throws on one run's result, as a bug would
    startDriver(
        new RunEngine(Duration.ofMinutes(10)) {
          @Override
          public Step result(
              TaskResult result, WorkflowDefinition definition, RunState state, Instant now) {
            if (result.getRunId().equals("r-bad")) {
              throw new IllegalStateException("injected failure");
            }
            return super.result(result, definition, state, now);
          }
        });
    register(
        WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("a", "noop")).build());
    start("r-bad", "one");
    start("r-good", "one");
    TaskRequest bad = tasks.readValue();
    TaskRequest good = tasks.readValue();

    // when: their results come in, the bad run's first, on the one partition
    succeed(bad);
    succeed(good);

    // then: the bad run failed naming the cause, its result was set aside, the good one went on
    RunFailed failed = last(events.readValuesToList(), "r-bad", RunFailed.class);
    assertThat(failed.getError().getErrorClass()).isEqualTo("weft.InternalError");
    assertThat(failed.getError().getMessage())
        .contains("TaskResult", "r-bad", "IllegalStateException: injected failure");
    KeyValueStore<String, RunState> runs = driver.getKeyValueStore(CoordinatorTopology.RUNS_STORE);
    assertThat(runs.get("r-bad").getStatus()).isEqualTo(RunStatus.FAILED);
    assertThat(runs.get("r-good").getStatus()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(deadLetters.readRecordsToList()).hasSize(1);
  }

  @Test
  void shouldFailARunWhoseStateWouldPassTheRecordLimitAloneAndGoOnWithTheNextRun() {
    // given: a 64 KB limit, and three tasks side by side that each output 30 KB
    startDriver(new RunEngine(Duration.ofMinutes(10), 64 * 1024));
    register(
        WorkflowDefinition.builder("wide", 1)
            .task(TaskDefinition.builder("a", "noop"))
            .task(TaskDefinition.builder("b", "noop"))
            .task(TaskDefinition.builder("c", "noop"))
            .build());
    register(
        WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("a", "noop")).build());
    start("r-big", "wide");
    List<TaskRequest> wide = tasks.readValuesToList();
    String big = "\"" + "z".repeat(30 * 1024) + "\"";

    // when: the third output would take the state past the limit
    for (TaskRequest request : wide) {
      succeed(request, Map.of("blob", new TaskOutput(big, null)));
    }
    start("r-next", "one");
    succeed(tasks.readValue());

    // then: the run failed naming the limit; its stored state is the last one that fit, failed
    RunFailed failed = last(events.readValuesToList(), "r-big", RunFailed.class);
    assertThat(failed.getError().getErrorClass()).isEqualTo("weft.TooLarge");
    assertThat(failed.getError().getMessage())
        .contains("would be", "after a TaskResult", "over the limit of 65536 bytes");
    KeyValueStore<String, RunState> runs = driver.getKeyValueStore(CoordinatorTopology.RUNS_STORE);
    RunState stored = runs.get("r-big");
    assertThat(stored.getStatus()).isEqualTo(RunStatus.FAILED);
    assertThat(stored.getTasks().values())
        .filteredOn(t -> t.getStatus() == TaskStatus.SUCCEEDED)
        .hasSize(2);
    assertThat(runs.get("r-next").getStatus()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void shouldFailARunWhoseParamsPassTheRecordLimitNamingParamsSizeAndLimit() {
    // given: a 64 KB limit, and a start with 100 KB of params
    startDriver(new RunEngine(Duration.ofMinutes(10), 64 * 1024));
    register(
        WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("a", "noop")).build());
    String big = "\"" + "p".repeat(100 * 1024) + "\"";

    // when
    commands.pipeInput(
        "r-big", new RunCommand(new StartRun("r-big", null, "one", null, Map.of("p", big), START)));

    // then: started without its params and failed, nothing dispatched
    List<RunEvent> log = events.readValuesToList();
    assertThat(log.get(0).getEvent()).isInstanceOf(RunStarted.class);
    assertThat(((RunStarted) log.get(0).getEvent()).getParams()).isEmpty();
    RunFailed failed = last(log, "r-big", RunFailed.class);
    assertThat(failed.getError().getErrorClass()).isEqualTo("weft.TooLarge");
    assertThat(failed.getError().getMessage())
        .contains("after a StartRun", "over the limit of 65536 bytes", "its params are too large");
    assertThat(tasks.isEmpty()).isTrue();
  }

  @Test
  void shouldWriteNothingToTheRunsChangelogForHeartbeatsOfARunningTask() {
    // given: a running task (its first heartbeat marked it started)
    register(
        WorkflowDefinition.builder("long", 1).task(TaskDefinition.builder("a", "noop")).build());
    start("r-long", "long");
    TaskRequest request = tasks.readValue();
    heartbeat(request);
    TestOutputTopic<byte[], byte[]> changelog =
        driver.createOutputTopic(
            "weft-coordinator-test-" + CoordinatorTopology.RUNS_STORE + "-changelog",
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    assertThat(changelog.readRecordsToList()).isNotEmpty(); // the start and the first heartbeat
    assertThat(events.readValuesToList()).anyMatch(e -> e.getEvent() instanceof TaskStarted);

    // when
    for (int i = 0; i < 10; i++) {
      heartbeat(request);
    }

    // then
    assertThat(changelog.readRecordsToList()).isEmpty();
    assertThat(events.readValuesToList()).isEmpty();
  }

  @Test
  void shouldFailARunWhoseDefinitionWasDeletedAtItsNextInput() {
    // given: a running run, then its definition deleted (tombstoned)
    WorkflowDefinition chain =
        WorkflowDefinition.builder("gone", 1)
            .task(TaskDefinition.builder("a", "noop"))
            .task(TaskDefinition.builder("b", "noop").dependsOn("a"))
            .build();
    register(chain);
    start("r-gone", "gone");
    TaskRequest a = tasks.readValue();
    definitions.pipeInput(chain.key(), null);

    // when: its running task's result comes in
    succeed(a);

    // then
    RunFailed failed = last(events.readValuesToList(), "r-gone", RunFailed.class);
    assertThat(failed.getError().getErrorClass()).isEqualTo("weft.UnknownWorkflow");
    assertThat(failed.getError().getMessage()).contains("gone version 1", "r-gone");
    assertThat(tasks.isEmpty()).isTrue();
  }

  @Test
  void shouldDropAStartedAttemptsTimeoutTimerWhenItsResultComes() {
    // given: a started attempt, whose timeout timer is set
    register(
        WorkflowDefinition.builder("timed", 1).task(TaskDefinition.builder("a", "noop")).build());
    start("r-timed", "timed");
    TaskRequest request = tasks.readValue();
    heartbeat(request);
    KeyValueStore<String, String> timers =
        driver.getKeyValueStore(CoordinatorTopology.TIMERS_STORE);
    assertThat(timerKinds(timers)).containsExactly(Timer.Kind.TIMEOUT);

    // when
    succeed(request);

    // then: only the finished run's expiry is left
    assertThat(timerKinds(timers)).containsExactly(Timer.Kind.EXPIRE);
  }

  private static List<Timer.Kind> timerKinds(KeyValueStore<String, String> timers) {
    List<Timer.Kind> kinds = new ArrayList<>();
    try (var all = timers.all()) {
      all.forEachRemaining(kv -> kinds.add(Timer.parse(kv.key).kind()));
    }
    return kinds;
  }

  @Test
  void shouldDeleteAFinishedRunsStateOnceItsRetentionIsOverAndKeepARunningOnes() {
    // given: a finished run and a running one
    register(
        WorkflowDefinition.builder("kept", 1).task(TaskDefinition.builder("a", "noop")).build());
    start("r-done", "kept");
    start("r-running", "kept");
    succeed(tasks.readValue());
    KeyValueStore<String, RunState> runs = driver.getKeyValueStore(CoordinatorTopology.RUNS_STORE);
    assertThat(runs.get("r-done").getStatus()).isEqualTo(RunStatus.SUCCEEDED);

    // when
    driver.advanceWallClockTime(RETENTION.minusSeconds(1));
    assertThat(runs.get("r-done")).isNotNull();
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    // then
    assertThat(runs.get("r-done")).isNull();
    assertThat(runs.get("r-running").getStatus()).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void shouldFailARunWhoseTimerThrowsAlone() {
    // given: an engine that throws when a timer of one run falls due
    startDriver(
        new RunEngine(Duration.ofMinutes(10)) {
          @Override
          public Step timer(
              Timer timer, WorkflowDefinition definition, RunState state, Instant now) {
            throw new IllegalStateException("injected timer failure");
          }
        });
    register(
        WorkflowDefinition.builder("slow", 1)
            .task(TaskDefinition.builder("a", "noop").queueTimeout(Duration.ofSeconds(5)))
            .build());
    start("r-timer", "slow");

    // when
    driver.advanceWallClockTime(Duration.ofSeconds(6));

    // then
    RunFailed failed = last(events.readValuesToList(), "r-timer", RunFailed.class);
    assertThat(failed.getError().getMessage()).contains("a timer", "injected timer failure");
  }

  @Test
  void shouldTimeOutFromTheWallClockPunctuator() {
    // given
    register(
        WorkflowDefinition.builder("slow", 1)
            .task(
                TaskDefinition.builder("a", "noop")
                    .timeout(Duration.ofSeconds(5))
                    .retry(Retry.attempts(2)))
            .build());
    start("r2", "slow");
    TaskRequest first = tasks.readValue();
    results.pipeInput(
        first.getRunId(),
        new TaskReport(
            new TaskHeartbeat(
                first.getRunId(), "a", 1, "worker-1", Instant.ofEpochMilli(0), null)));

    // when: the started attempt runs past its timeout
    driver.advanceWallClockTime(Duration.ofSeconds(6));
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    // then
    assertThat(events.readValuesToList()).anyMatch(e -> e.getEvent() instanceof TaskTimedOut);
    assertThat(tasks.readValue().getAttempt()).isEqualTo(2);
  }

  @Test
  void shouldSetUndecodableAndMismatchedCommandsAsideAndGoOn() {
    // given
    register(
        WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("a", "noop")).build());

    // when: garbage, a command keyed with another run's id, then a good command
    rawCommands.pipeInput(
        "r3".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
    commands.pipeInput(
        "other", new RunCommand(new StartRun("r3", null, "one", null, Map.of(), START)));
    start("r4", "one");

    // then
    var poison = deadLetters.readRecordsToList();
    assertThat(poison).hasSize(2);
    assertThat(header(poison.get(0), DeadLetterHeaders.TOPIC)).isEqualTo(TOPICS.commands());
    assertThat(header(poison.get(0), DeadLetterHeaders.OFFSET)).isEqualTo("0");
    assertThat(header(poison.get(0), DeadLetterHeaders.ERROR_MESSAGE)).contains("BAD_MAGIC_BYTE");
    assertThat(new String(poison.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
    assertThat(header(poison.get(1), DeadLetterHeaders.ERROR_MESSAGE))
        .contains("record key 'other' is not the run id 'r3'");
    assertThat(tasks.readValue().getRunId()).isEqualTo("r4");
  }

  private static String header(
      org.apache.kafka.streams.test.TestRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}

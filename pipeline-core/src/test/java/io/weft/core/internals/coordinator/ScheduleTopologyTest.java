package io.weft.core.internals.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.RunKeys;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.schedules.MissedTicks;
import io.weft.schemas.schedules.Schedule;
import io.weft.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schedules on the coordinator's topology: each due tick starts one run, keyed by its tick. */
class ScheduleTopologyTest extends TopologyTestBase {

  private TestInputTopic<String, Schedule> schedules;

  @BeforeEach
  void schedulesTopic() {
    schedules =
        driver.createInputTopic(
            TOPICS.schedules(), new StringSerializer(), new AvroSerializer<>(SERDE, false));
    register(
        WorkflowDefinition.builder("nightly", 1)
            .param("size", 1)
            .task(TaskDefinition.builder("a", "noop").param("n", "${params.size}"))
            .build());
  }

  private Schedule everyTwoSeconds(MissedTicks missed) {
    return new Schedule(
        "s", "nightly", null, "*/2 * * * * *", "UTC", Map.of("size", "5"), missed, START);
  }

  private List<RunStarted> started() {
    return events.readValuesToList().stream()
        .map(RunEvent::getEvent)
        .filter(RunStarted.class::isInstance)
        .map(RunStarted.class::cast)
        .toList();
  }

  @Test
  void shouldKeepTheSchedulesInASubTopologyOfTheirOwn() {
    // given
    var description =
        CoordinatorTopology.build(
                TOPICS,
                SERDE,
                new RunEngine(Duration.ofMinutes(10)),
                new ProcessingSettings(Duration.ofMillis(100), RETENTION, 1, 1_000_000),
                new CoordinatorMetrics())
            .describe();

    // then: its stores get the one partition of the schedules topic, whatever the runs' count
    var schedules =
        description.subtopologies().stream()
            .filter(
                s ->
                    s.nodes().stream()
                        .anyMatch(n -> n.name().equals(CoordinatorTopology.SCHEDULE_PROCESSOR)))
            .findFirst()
            .orElseThrow();
    assertThat(schedules.nodes())
        .extracting(n -> n.name())
        .containsExactlyInAnyOrder(
            CoordinatorTopology.SCHEDULES_SOURCE,
            CoordinatorTopology.SCHEDULE_PROCESSOR,
            CoordinatorTopology.SCHEDULED_COMMANDS_SINK,
            CoordinatorTopology.SCHEDULES_DLQ_SINK);
  }

  @Test
  void shouldStartOneRunPerTickWithARunKeyFromTheTick() {
    // given
    schedules.pipeInput("s", everyTwoSeconds(MissedTicks.ALL));

    // when: 6 s pass, punctuated every 100 ms
    for (int i = 0; i < 60; i++) {
      driver.advanceWallClockTime(Duration.ofMillis(100));
    }

    // then
    List<RunStarted> runs = started();
    assertThat(runs)
        .extracting(RunStarted::getRunKey)
        .containsExactly(
            "schedule:s:" + START.plusSeconds(2),
            "schedule:s:" + START.plusSeconds(4),
            "schedule:s:" + START.plusSeconds(6));
    assertThat(runs).allSatisfy(r -> assertThat(r.getParams()).containsEntry("size", "5"));
    assertThat(tasks.readValuesToList())
        .extracting(r -> r.getRunId())
        .containsExactly(
            RunKeys.runId("nightly", "schedule:s:" + START.plusSeconds(2)),
            RunKeys.runId("nightly", "schedule:s:" + START.plusSeconds(4)),
            RunKeys.runId("nightly", "schedule:s:" + START.plusSeconds(6)));
  }

  @Test
  void shouldFireOnlyTheLatestOfTicksMissedInOneGoWithLatest() {
    // given
    schedules.pipeInput("s", everyTwoSeconds(MissedTicks.LATEST));

    // when: the clock jumps 10 s at once (the coordinator was down)
    driver.advanceWallClockTime(Duration.ofSeconds(10));

    // then
    assertThat(started())
        .extracting(RunStarted::getRunKey)
        .containsExactly("schedule:s:" + START.plusSeconds(10));
  }

  @Test
  void shouldStopFiringADeletedSchedule() {
    // given
    schedules.pipeInput("s", everyTwoSeconds(MissedTicks.ALL));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(started()).hasSize(1);

    // when
    schedules.pipeInput("s", (Schedule) null);
    driver.advanceWallClockTime(Duration.ofSeconds(10));

    // then
    assertThat(started()).isEmpty();
  }

  @Test
  void shouldSetAsideABadUpdateOfAFiringScheduleAndKeepFiringTheOldOne() {
    // given: a schedule that has fired
    schedules.pipeInput("s", everyTwoSeconds(MissedTicks.ALL));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(started()).hasSize(1);

    // when: an update with an expression the coordinator cannot read
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            TOPICS.schedules(), new ByteArraySerializer(), new ByteArraySerializer());
    Schedule bad =
        new Schedule(
            "s", "nightly", null, "0 3 * * * * *", "UTC", Map.of(), MissedTicks.ALL, START);
    raw.pipeInput(
        "s".getBytes(),
        new AvroSerializer<Schedule>(SERDE, false).serialize(TOPICS.schedules(), bad));
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    // then: the update is set aside, and the schedule fires on as it was
    assertThat(deadLetters.readRecordsToList()).hasSize(1);
    assertThat(started())
        .extracting(RunStarted::getRunKey)
        .containsExactly("schedule:s:" + START.plusSeconds(4));
  }

  @Test
  void shouldSetAsideAScheduleWithABadExpressionAndKeepTheOthers() {
    // given
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            TOPICS.schedules(), new ByteArraySerializer(), new ByteArraySerializer());
    Schedule bad =
        new Schedule("bad", "nightly", null, "every day", "UTC", Map.of(), MissedTicks.ALL, START);
    raw.pipeInput(
        "bad".getBytes(),
        new AvroSerializer<Schedule>(SERDE, false).serialize(TOPICS.schedules(), bad));
    schedules.pipeInput("s", everyTwoSeconds(MissedTicks.ALL));

    // when
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    // then
    assertThat(deadLetters.readRecordsToList()).hasSize(1);
    assertThat(started())
        .extracting(RunStarted::getRunKey)
        .containsExactly("schedule:s:" + START.plusSeconds(2));
  }
}

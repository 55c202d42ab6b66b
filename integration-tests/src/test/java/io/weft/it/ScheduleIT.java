package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.Recovery;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.schedules.MissedTicks;
import io.weft.testkit.Changelogs;
import io.weft.testkit.ChildJvm;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A schedule on the real broker: the coordinator, in a JVM of its own, fires each tick once, and
 * goes on doing so after it is killed and started again.
 */
@ExtendWith(WeftStackExtension.class)
class ScheduleIT {

  private static final String KEY_PREFIX = "schedule:every-2s:";

  private WeftInstallation kit;

  @AfterEach
  void stop() {
    kit.close();
  }

  @Test
  void shouldFireASchedulesEveryTickExactlyOnceAcrossACoordinatorKill(WeftStack stack)
      throws Exception {
    // given: a schedule every 2 s whose missed ticks all fire, a coordinator in its own JVM
    kit = WeftInstallation.forTests(stack, "schedules").withHandlers(new TestHandlers());
    ChildJvm coordinator = kit.startCoordinatorProcess();
    kit.startWorker(Map.of("worker.concurrency", "4"), "step");
    kit.client()
        .register(
            WorkflowDefinition.builder("tick", 1)
                .param("who", "cron")
                .task(TaskDefinition.builder("t", "step").param("said", "${params.who}"))
                .build());
    kit.client()
        .schedules()
        .create(
            "every-2s", "tick", null, "*/2 * * * * *", "UTC", Map.of("who", "it"), MissedTicks.ALL);
    await().atMost(Duration.ofSeconds(60)).until(() -> ticks().size() >= 3);

    // when: the coordinator is killed (SIGKILL) and started again
    coordinator.kill();
    int beforeRestart = ticks().size();
    coordinator = kit.startCoordinatorProcess();
    await().atMost(Duration.ofSeconds(90)).until(() -> ticks().size() >= beforeRestart + 5);
    kit.client().schedules().delete("every-2s");

    // then: every 2-s tick from the first to the last started exactly one run...
    List<Instant> ticks = ticks();
    Map<Instant, Long> runsPerTick =
        ticks.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(runsPerTick)
        .allSatisfy((tick, runs) -> assertThat(runs).as(tick.toString()).isOne());
    Instant first = ticks.stream().min(Instant::compareTo).orElseThrow();
    Instant last = ticks.stream().max(Instant::compareTo).orElseThrow();
    long expected = Duration.between(first, last).toSeconds() / 2 + 1;
    assertThat(runsPerTick).as("ticks between %s and %s", first, last).hasSize((int) expected);
    // ...from one committed command each, and every run succeeded with the schedule's params
    Map<String, Long> commandsPerKey =
        kit.eventLog().read(kit.topics().commands(), RunCommand.class).stream()
            .map(RunCommand::getCommand)
            .filter(c -> c instanceof StartRun s && s.getRunKey() != null)
            .map(c -> ((StartRun) c).getRunKey())
            .filter(k -> k.startsWith(KEY_PREFIX))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(commandsPerKey).hasSize((int) expected).allSatisfy((k, n) -> assertThat(n).isOne());
    await().atMost(Duration.ofSeconds(60)).until(() -> succeeded() >= expected);
    coordinator.close();
  }

  @Test
  void shouldKeepASchedulesAndItsLastTickThroughARecoveryOfLostState(WeftStack stack)
      throws Exception {
    // given: a schedule every 2 s that has fired a few ticks
    kit =
        WeftInstallation.forTests(stack, "schedules-recovery")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(Map.of(), "step");
    kit.client()
        .register(
            WorkflowDefinition.builder("tick", 1)
                .task(TaskDefinition.builder("t", "step"))
                .build());
    kit.client()
        .schedules()
        .create("every-2s", "tick", null, "*/2 * * * * *", "UTC", Map.of(), MissedTicks.ALL);
    await().atMost(Duration.ofSeconds(60)).until(() -> ticks().size() >= 2);

    // when: the coordinator's local state and every changelog are lost, and rebuilt from the log
    kit.stopCoordinator();
    assertThat(Changelogs.deleteAll(kit.bootstrapServers(), kit.applicationId()))
        .contains(kit.applicationId() + "-schedule-ticks-changelog");
    int before = ticks().size();
    Recovery.rebuild(kit.coordinatorSettings(), true);
    kit.startCoordinator();

    // then: the schedule goes on from its last tick: no tick twice, none missed
    await().atMost(Duration.ofSeconds(60)).until(() -> ticks().size() >= before + 3);
    kit.client().schedules().delete("every-2s");
    List<Instant> ticks = ticks();
    assertThat(ticks).doesNotHaveDuplicates();
    Instant first = ticks.stream().min(Instant::compareTo).orElseThrow();
    Instant last = ticks.stream().max(Instant::compareTo).orElseThrow();
    assertThat(ticks).hasSize((int) (Duration.between(first, last).toSeconds() / 2 + 1));
  }

  /** The ticks of the schedule's started runs, per the committed event log. */
  private List<Instant> ticks() {
    return kit.eventLog().events().stream()
        .map(RunEvent::getEvent)
        .filter(e -> e instanceof RunStarted s && s.getRunKey() != null)
        .map(e -> ((RunStarted) e).getRunKey())
        .filter(k -> k.startsWith(KEY_PREFIX))
        .map(k -> Instant.parse(k.substring(KEY_PREFIX.length())))
        .toList();
  }

  private long succeeded() {
    return kit.eventLog().events().stream()
        .filter(e -> e.getEvent() instanceof RunSucceeded)
        .count();
  }
}

package io.weft.core.internals.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which tasks can start: a pure function of the definition and the run's state. */
class ReadinessTest {

  static {
    GeneratedClasses.trust();
  }

  private static final WorkflowDefinition DIAMOND =
      WorkflowDefinition.builder("d", 1)
          .task(TaskDefinition.builder("a", "x"))
          .task(TaskDefinition.builder("b", "x").dependsOn("a"))
          .task(TaskDefinition.builder("c", "x").dependsOn("a"))
          .task(TaskDefinition.builder("d", "x").dependsOn("b", "c"))
          .build();

  private static RunState state(Map<String, TaskStatus> statuses) {
    Map<String, TaskState> tasks = new HashMap<>();
    statuses.forEach(
        (id, status) -> tasks.put(id, TaskState.newBuilder().setStatus(status).build()));
    return RunState.newBuilder()
        .setRunId("r")
        .setWorkflowName("d")
        .setWorkflowVersion(1)
        .setStatus(RunStatus.RUNNING)
        .setTasks(tasks)
        .setStartedAt(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldMakeOnlyTheRootsReadyAtFirst() {
    assertThat(Readiness.ready(DIAMOND, state(Map.of())))
        .extracting(TaskDefinition::id)
        .containsExactly("a");
  }

  @Test
  void shouldWaitForEveryDependencyOfAJoin() {
    // given: b done, c still running
    RunState state =
        state(
            Map.of("a", TaskStatus.SUCCEEDED, "b", TaskStatus.SUCCEEDED, "c", TaskStatus.RUNNING));

    // then
    assertThat(Readiness.ready(DIAMOND, state)).isEmpty();
  }

  @Test
  void shouldCountASkippedDependencyAsDone() {
    // given
    RunState state =
        state(
            Map.of("a", TaskStatus.SUCCEEDED, "b", TaskStatus.SKIPPED, "c", TaskStatus.SUCCEEDED));

    // then
    assertThat(Readiness.ready(DIAMOND, state)).extracting(TaskDefinition::id).containsExactly("d");
  }

  @Test
  void shouldNotOfferATaskTwice() {
    // given: d dispatched already
    RunState state =
        state(
            Map.of(
                "a",
                TaskStatus.SUCCEEDED,
                "b",
                TaskStatus.SUCCEEDED,
                "c",
                TaskStatus.SUCCEEDED,
                "d",
                TaskStatus.SCHEDULED));

    // then
    assertThat(Readiness.ready(DIAMOND, state)).isEmpty();
  }

  @Test
  void shouldBlockEverythingDownstreamOfAFailure() {
    // given
    RunState state =
        state(Map.of("a", TaskStatus.SUCCEEDED, "b", TaskStatus.FAILED, "c", TaskStatus.RUNNING));

    // then: d can never run in this round; c is not blocked
    assertThat(Readiness.blocked(DIAMOND, state))
        .extracting(TaskDefinition::id)
        .containsExactly("d");
    assertThat(Readiness.anyInFlight(DIAMOND, state)).isTrue();
  }
}

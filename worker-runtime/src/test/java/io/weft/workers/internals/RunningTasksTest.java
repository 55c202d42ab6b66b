package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.tasks.TaskRequest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RunningTasksTest {

  @BeforeAll
  static void trust() {
    GeneratedClasses.trust();
  }

  private static TaskContextImpl context(String runId, String taskId) {
    TaskRequest request =
        TaskRequest.newBuilder(TaskResultsTest.request()).setRunId(runId).setTaskId(taskId).build();
    return new TaskContextImpl(request, Map.of(), Map.of(), null, "w-1", progress -> {});
  }

  @Test
  void shouldCancelTheRunningAttemptsOfAStoppedRunOnly() {
    // given
    RunningTasks running = new RunningTasks();
    TaskContextImpl a = context("run-1", "a");
    TaskContextImpl b = context("run-1", "b");
    TaskContextImpl other = context("run-2", "a");
    running.add(a);
    running.add(b);
    running.add(other);

    // when
    int cancelled = running.runStopped("run-1");

    // then
    assertThat(cancelled).isEqualTo(2);
    assertThat(a.isCancelled()).isTrue();
    assertThat(a.cancelReason()).isEqualTo(CancelReason.RUN_STOPPED);
    assertThat(b.isCancelled()).isTrue();
    assertThat(other.isCancelled()).isFalse();
  }

  @Test
  void shouldStartAnAttemptOfARecentlyStoppedRunCancelled() {
    // given
    RunningTasks running = new RunningTasks();
    running.runStopped("run-1");

    // when
    TaskContextImpl late = context("run-1", "c");
    running.add(late);

    // then
    assertThat(late.isCancelled()).isTrue();
  }

  @Test
  void shouldNotCancelAnAttemptThatWasRemoved() {
    // given
    RunningTasks running = new RunningTasks();
    TaskContextImpl done = context("run-1", "a");
    running.add(done);
    running.remove(done);

    // when
    int cancelled = running.runStopped("run-1");

    // then
    assertThat(cancelled).isZero();
    assertThat(done.isCancelled()).isFalse();
  }

  @Test
  void shouldCancelOnlyTheAttemptThatTimedOut() {
    // given: attempt 2 of task a runs, beside task b of the same run
    RunningTasks running = new RunningTasks();
    TaskContextImpl a = context("run-1", "a"); // attempt 2, as TaskResultsTest's request
    TaskContextImpl b = context("run-1", "b");
    running.add(a);
    running.add(b);

    // when: an older attempt of a, then attempt 2, time out
    boolean older = running.attemptTimedOut("run-1", "a", 1);
    boolean current = running.attemptTimedOut("run-1", "a", 2);

    // then
    assertThat(older).isFalse();
    assertThat(current).isTrue();
    assertThat(a.cancelReason()).isEqualTo(CancelReason.TIMED_OUT);
    assertThat(b.isCancelled()).isFalse();
  }
}

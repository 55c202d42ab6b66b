package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.P1;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.Resources;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import java.time.Duration;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/**
 * Admission by declared resources: a request starts only while what its task declares fits beside
 * the running attempts; one that does not waits in its partition's window without blocking the
 * requests behind it, and one that could never fit fails at once.
 */
class TaskLoopResourcesTest {

  private static final Resources THREE_CORES = new Resources(3.0, 16L << 30, 0);

  @Test
  void shouldHoldARequestThatDoesNotFitAndRunASmallerOneBesideTheFirst() {
    // given: 2 + 2 + 0.5 cores declared on a worker of 3
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(4, THREE_CORES)
            .requestNeeding(P0, 0, "run-a", cpu(2))
            .requestNeeding(P0, 1, "run-b", cpu(2))
            .requestNeeding(P0, 2, "run-c", cpu(0.5));

    // when
    kit.turn();
    int runningAtOnce = kit.executor.running();
    double coresHeld = kit.capacity.used().cpu();
    kit.finishRunning();

    // then: b waits, c runs beside a
    assertThat(runningAtOnce).isEqualTo(2);
    assertThat(coresHeld).isEqualTo(2.5);
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-a", "run-c");
  }

  @Test
  void shouldStartTheHeldRequestWhenTheRunningOneReturnsItsResources() {
    // given: a runs, b is held
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(4, THREE_CORES)
            .requestNeeding(P0, 0, "run-a", cpu(2))
            .requestNeeding(P0, 1, "run-b", cpu(2))
            .turn();

    // when: a returns
    kit.finishOldest().turn();
    double coresHeld = kit.capacity.used().cpu();
    kit.finishRunning();

    // then
    assertThat(coresHeld).isEqualTo(2.0);
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-a", "run-b");
    assertThat(kit.capacity.used().cpu()).isZero();
  }

  @Test
  void shouldNotCommitPastAHeldRequestWhileLaterOnesFinish() {
    // given: a runs, b is held, c runs and finishes
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(4, THREE_CORES)
            .requestNeeding(P0, 0, "run-a", cpu(2))
            .requestNeeding(P0, 1, "run-b", cpu(2))
            .requestNeeding(P0, 2, "run-c", cpu(0.5))
            .turn();

    // when: a and c finish
    kit.finishRunning().turn();

    // then: the commit stops at b, with c recorded as finished above it
    OffsetAndMetadata last = kit.lastCommitted(P0);
    assertThat(last.offset()).isEqualTo(1);
    assertThat(PartitionOffsets.resume(last).isFinished(2)).isTrue();
    assertThat(kit.committedResults())
        .extracting(TaskResult::getRunId)
        .containsExactlyInAnyOrder("run-a", "run-c");
  }

  @Test
  void shouldFailARequestThatExceedsTheWholeCapacityAtOnceAsUnschedulable() {
    // given
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(2, THREE_CORES)
            .requestNeeding(P0, 0, "run-big", new Resources(1.0, 64L << 30, null))
            .requestNeeding(P1, 0, "run-small", cpu(1));

    // when
    kit.turn().finishRunning().turn();

    // then: the big one fails without running, naming its need and the capacity; the other runs
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-small");
    TaskResult big =
        kit.committedResults().stream()
            .filter(r -> r.getRunId().equals("run-big"))
            .findFirst()
            .orElseThrow();
    assertThat(big.getStatus()).isEqualTo(TaskOutcome.FAILED);
    assertThat(big.getError().getErrorClass()).isEqualTo("weft.Unschedulable");
    assertThat(big.getError().getRetryable()).isFalse();
    assertThat(big.getError().getMessage())
        .contains("memory 64Gi (capacity 16Gi)")
        .contains("worker w-1");
  }

  @Test
  void shouldLetALaterHeldRequestThatFitsStartBeforeAnEarlierOneThatDoesNot() {
    // given: a (2) runs; b (2) and c (1) wait behind a full worker of 3 with d (1) running
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(4, THREE_CORES)
            .requestNeeding(P0, 0, "run-a", cpu(2))
            .requestNeeding(P0, 1, "run-d", cpu(1))
            .requestNeeding(P0, 2, "run-b", cpu(2))
            .requestNeeding(P0, 3, "run-c", cpu(1))
            .turn();

    // when: d returns its core
    kit.finishLatest().turn();
    kit.finishRunning();

    // then: c fits and starts; b still waits for a
    assertThat(kit.executed)
        .extracting(TaskContextImpl::runId)
        .containsExactly("run-d", "run-a", "run-c");
  }

  @Test
  void shouldExpireAHeldRequestWhoseStartByTimePassesWhileItWaits() {
    // given: a runs; b must start within a minute and does not fit
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(4, THREE_CORES).requestNeeding(P0, 0, "run-a", cpu(2));
    kit.requestNeedingBy(P0, 1, "run-b", cpu(2), kit.time.now().plus(Duration.ofMinutes(1))).turn();

    // when: two minutes pass, then a returns
    kit.time.sleep(Duration.ofMinutes(2).toMillis());
    kit.finishOldest().turn();

    // then: b never ran; its offset committed with a's
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-a");
    assertThat(kit.lastCommitted(P0).offset()).isEqualTo(2);
    assertThat(kit.capacity.used().cpu()).isZero();
  }

  @Test
  void shouldReturnTheResourcesOfAnAbandonedAttempt() {
    // given: a times out and ignores it; b waits for its cores
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(4, THREE_CORES)
            .requestNeeding(P0, 0, "run-a", cpu(2))
            .requestNeeding(P0, 1, "run-b", cpu(2))
            .turn();
    kit.running.attemptTimedOut("run-a", "fit", 1);

    // when: the stop grace passes
    kit.time.sleep(TaskLoopKit.STOP_GRACE.toMillis() + 1);
    kit.turn().turn();

    // then: b starts on the cores a held
    assertThat(kit.executor.running()).isEqualTo(2); // the abandoned one and b
    assertThat(kit.capacity.used().cpu()).isEqualTo(2.0);
  }

  @Test
  void shouldAdmitWhatATaskLeavesOutAsItsTypesHandlerSays() {
    // given: a type whose attempts need 2 cores unless their task says otherwise
    TaskLoopKit kit = TaskLoopKit.withCapacity(4, THREE_CORES);
    kit.handlerDefaults = new Resources(2.0, 1L << 30, null);
    kit.request(P0, 0, "run-a")
        .request(P0, 1, "run-b")
        .requestNeeding(P0, 2, "run-c", cpu(1))
        .turn();

    // when
    int runningAtOnce = kit.executor.running();
    kit.finishRunning();

    // then: b waits for a's cores; c declares 1 core and runs beside a, with a's default memory
    assertThat(runningAtOnce).isEqualTo(2);
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-a", "run-c");
    assertThat(kit.executed.get(1).resources()).isEqualTo(new Resources(1.0, 1L << 30, null));
  }

  @Test
  void shouldForgetTheHeldRequestsOfARevokedPartition() {
    // given: a runs on P1; b waits on P0
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(4, THREE_CORES)
            .requestNeeding(P1, 0, "run-a", cpu(2))
            .requestNeeding(P0, 0, "run-b", cpu(2))
            .turn();

    // when: P0 goes to another worker, then a returns its cores
    kit.revokeOnNextPoll(P0).turn();
    kit.finishRunning().turn();

    // then: b is the new owner's to run, never this worker's
    assertThat(kit.executed).extracting(TaskContextImpl::runId).containsExactly("run-a");
    assertThat(kit.capacity.used().cpu()).isZero();
  }

  @Test
  void shouldGrantEachGpuAttemptItsOwnDevices() {
    // given: a worker of 2 GPUs
    TaskLoopKit kit =
        TaskLoopKit.withCapacity(4, new Resources(8.0, 16L << 30, 2))
            .requestNeeding(P0, 0, "run-a", new Resources(null, null, 1))
            .requestNeeding(P0, 1, "run-b", new Resources(null, null, 1))
            .requestNeeding(P0, 2, "run-c", new Resources(null, null, 1));

    // when
    kit.turn();
    kit.finishOldest().turn();
    kit.finishRunning();

    // then: a and b get a GPU each, c gets a's when a returns
    assertThat(kit.executed)
        .extracting(TaskContextImpl::runId)
        .containsExactly("run-a", "run-b", "run-c");
    assertThat(kit.executed)
        .extracting(TaskContextImpl::gpus)
        .containsExactly(java.util.List.of(0), java.util.List.of(1), java.util.List.of(0));
  }

  private static Resources cpu(double cores) {
    return new Resources(cores, null, null);
  }
}

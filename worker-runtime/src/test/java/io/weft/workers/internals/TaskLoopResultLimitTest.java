package io.weft.workers.internals;

import static io.weft.workers.internals.TaskLoopKit.P0;
import static io.weft.workers.internals.TaskLoopKit.P1;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A result over the size limit fails its attempt alone; the rest of the batch commits. */
class TaskLoopResultLimitTest {

  @Test
  void shouldFailAResultOverTheLimitWithOutputTooLargeAndCommitTheOthersOfTheBatch() {
    // given: a result over the limit on one partition and a small one on another, in one turn
    TaskLoopKit kit =
        TaskLoopKit.withConcurrency(2).request(P0, 0, "big-1").request(P1, 0, "small-1").turn();

    // when
    kit.finishRunning().turn();

    // then: one transaction with both offsets; the big attempt failed, not retryable
    assertThat(kit.producer().commitCount()).isEqualTo(1);
    assertThat(kit.committedOffsets()).containsExactly(Map.of(P0, 1L, P1, 1L));
    assertThat(kit.committedResults())
        .extracting(TaskResult::getRunId, TaskResult::getStatus)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("big-1", TaskOutcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("small-1", TaskOutcome.SUCCEEDED));
    TaskResult big =
        kit.committedResults().stream()
            .filter(r -> r.getRunId().equals("big-1"))
            .findFirst()
            .orElseThrow();
    assertThat(big.getError().getErrorClass()).isEqualTo("weft.OutputTooLarge");
    assertThat(big.getError().getRetryable()).isFalse();
    assertThat(big.getError().getMessage())
        .contains("big-1/", "over the limit of " + TaskLoopKit.MAX_RESULT_BYTES + " bytes");
    assertThat(big.getOutputs()).isEmpty();
  }
}

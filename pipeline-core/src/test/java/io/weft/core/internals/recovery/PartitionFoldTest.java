package io.weft.core.internals.recovery;

import static io.weft.core.internals.recovery.RunEvents.finished;
import static io.weft.core.internals.recovery.RunEvents.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One partition's events folded into whole runs; runs without their start are skipped. */
class PartitionFoldTest {

  private final PartitionFold fold = new PartitionFold();

  @Test
  void shouldFoldEachRunsEventsIntoItsState() {
    // given
    List<RunEvent> log = new ArrayList<>(finished("a"));
    log.addAll(running("b"));

    // when
    log.forEach(fold::apply);

    // then
    assertThat(fold.runs().stream().map(RunState::getRunId)).containsExactly("a", "b");
    assertThat(fold.runs().stream().map(RunState::getStatus))
        .containsExactly(RunStatus.SUCCEEDED, RunStatus.RUNNING);
    assertThat(fold.eventsRead()).isEqualTo(6);
    assertThat(fold.skippedRuns()).isEmpty();
  }

  @Test
  void shouldSkipAndCountARunWhoseFirstEventsAreNoLongerOnTheLog() {
    // given: the retention deleted the first two of run a's four events; run b is whole
    List<RunEvent> a = finished("a");
    List<RunEvent> log = new ArrayList<>(a.subList(2, 4));
    log.addAll(finished("b"));

    // when
    log.forEach(fold::apply);

    // then: a is not rebuilt half-way, but counted; every event read is counted
    assertThat(fold.runs().stream().map(RunState::getRunId)).containsExactly("b");
    assertThat(fold.skippedRuns()).containsExactly("a");
    assertThat(fold.eventsRead()).isEqualTo(6);
  }

  @Test
  void shouldRebuildARunWhoseIdStartedAgainAfterTheTailOfAnEarlierRun() {
    // given: the tail of a deleted run, then a new run under the same id
    List<RunEvent> log = new ArrayList<>(finished("a").subList(2, 4));
    log.addAll(running("a"));

    // when
    log.forEach(fold::apply);

    // then
    assertThat(fold.runs()).hasSize(1);
    assertThat(fold.runs().iterator().next().getStatus()).isEqualTo(RunStatus.RUNNING);
    assertThat(fold.skippedRuns()).isEmpty();
  }
}

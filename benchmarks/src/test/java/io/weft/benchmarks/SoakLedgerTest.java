package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.common.TaskError;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskSucceeded;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakLedgerTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private final SoakLedger ledger = new SoakLedger();
  private long sequence;

  @Test
  void shouldCountARunWithoutAFinalEventAsLost() {
    // given: "a" succeeded, "b" failed, "c" only started, "d" never reached the log
    started("a", 0);
    succeeded("a", "t0");
    ended("a", new RunSucceeded(120L), 120);
    started("b", 0);
    ended("b", new RunFailed("t0", new TaskError("E", "boom", false)), 50);
    started("c", 0);

    // when
    SoakLedger.Summary summary = ledger.summarize(List.of("a", "b", "c", "d"));

    // then
    assertThat(summary.started()).isEqualTo(4);
    assertThat(summary.succeeded()).isEqualTo(1);
    assertThat(summary.failed()).isEqualTo(1);
    assertThat(summary.lost()).isEqualTo(2);
    assertThat(ledger.ended(List.of("a", "b", "c", "d"))).isEqualTo(2);
  }

  @Test
  void shouldCountEachTaskThatSucceededTwiceOnceAsADuplicate() {
    // given: t0 of "a" succeeded three times, t1 once; t0 of "b" twice
    started("a", 0);
    succeeded("a", "t0");
    succeeded("a", "t0");
    succeeded("a", "t0");
    succeeded("a", "t1");
    started("b", 0);
    succeeded("b", "t0");
    succeeded("b", "t0");

    // when
    SoakLedger.Summary summary = ledger.summarize(List.of("a", "b"));

    // then
    assertThat(summary.duplicateSuccesses()).isEqualTo(2);
  }

  @Test
  void shouldTakeTheLatencyFromRunStartedToRunSucceededAndKeepTheFirstEnd() {
    // given: a run that ended 250 ms after it started, then (wrongly) again later
    started("a", 1_000);
    ended("a", new RunSucceeded(250L), 1_250);
    ended("a", new RunSucceeded(900L), 1_900);

    // when
    SoakLedger.Summary summary = ledger.summarize(List.of("a"));

    // then
    assertThat(summary.latenciesMs()).containsExactly(250L);
  }

  private void started(String runId, long atMillis) {
    event(runId, new RunStarted("soak-ten", 1, Map.of(), null), atMillis);
  }

  private void succeeded(String runId, String taskId) {
    event(runId, new TaskSucceeded(taskId, 1, Map.of(), Map.of(), "w1", 1L, null), 10);
  }

  private void ended(String runId, Object end, long atMillis) {
    event(runId, end, atMillis);
  }

  private void event(String runId, Object body, long atMillis) {
    ledger.onEvent(new RunEvent(runId, sequence++, AT.plusMillis(atMillis), body), 0, 0);
  }
}

package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakFiguresTest {

  private final SoakCast cast = new SoakCast(null, Soak.TYPE, Soak.WORKERS);

  @Test
  void shouldMissWhenARunIsLost() {
    // given: 3 runs acknowledged, 2 ended
    SoakLedger.Summary runs = new SoakLedger.Summary(3, 2, 0, 1, 0, List.of(100L, 200L));

    // when
    Report report = report(runs, new ResultCounts());

    // then
    assertThat(verdict(report, "runs lost")).isEqualTo("MISS");
    assertThat(verdict(report, "duplicated task successes")).isEqualTo("PASS");
  }

  @Test
  void shouldMissWhenAnAttemptHasTwoCommittedResults() {
    // given
    SoakLedger.Summary runs = new SoakLedger.Summary(1, 1, 0, 0, 0, List.of(100L));
    ResultCounts results = new ResultCounts();
    results.add(result("r1", "t0", 1));
    results.add(result("r1", "t0", 1));
    results.add(result("r1", "t0", 2));

    // when
    Report report = report(runs, results);

    // then
    assertThat(results.attempts()).isEqualTo(2);
    assertThat(verdict(report, "duplicated task results")).isEqualTo("MISS");
    assertThat(verdict(report, "runs lost")).isEqualTo("PASS");
  }

  @Test
  void shouldPassAndGiveTheLatencyWhenNothingIsLostOrDuplicated() {
    // given
    SoakLedger.Summary runs = new SoakLedger.Summary(2, 2, 0, 0, 0, List.of(100L, 300L));

    // when
    Report report = report(runs, new ResultCounts());

    // then
    assertThat(report.measures()).noneMatch(m -> m.verdict().equals("MISS"));
    assertThat(report.measures())
        .filteredOn(m -> m.name().equals("run latency p99"))
        .singleElement()
        .satisfies(m -> assertThat(m.value()).isEqualTo(300.0));
  }

  private Report report(SoakLedger.Summary runs, ResultCounts results) {
    Report report = new Report();
    new SoakFigures(runs, results, 0, cast, 2, 0).addTo(report);
    return report;
  }

  private static String verdict(Report report, String name) {
    return report.measures().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow()
        .verdict();
  }

  private static TaskReport result(String runId, String taskId, int attempt) {
    return new TaskReport(
        new TaskResult(
            runId,
            taskId,
            attempt,
            TaskOutcome.SUCCEEDED,
            Map.of(),
            Map.of(),
            null,
            "w1",
            Instant.EPOCH,
            Instant.EPOCH,
            null));
  }
}

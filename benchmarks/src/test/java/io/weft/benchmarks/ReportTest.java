package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void shouldPassAGoalOnTheValueAndMissItBelow() {
    // given
    Measure fast = Measure.of("s", "tasks/s", 6_000, "tasks/s", Goal.atLeast(5_000));
    Measure slow = Measure.of("s", "tasks/s", 4_000, "tasks/s", Goal.atLeast(5_000));

    // then
    assertThat(fast.verdict()).isEqualTo("PASS");
    assertThat(slow.verdict()).isEqualTo("MISS");
  }

  @Test
  void shouldJudgeARatioGoalOnValueDividedByBaseline() {
    // given: 103 s through Weft against 100 s direct, goal ratio <= 1.03
    Measure within = Measure.against("s", "train", 103, "s", 100, "direct", Goal.ratioAtMost(1.03));
    Measure over = Measure.against("s", "train", 104, "s", 100, "direct", Goal.ratioAtMost(1.03));

    // then
    assertThat(within.ratio()).isEqualTo(1.03);
    assertThat(within.verdict()).isEqualTo("PASS");
    assertThat(over.verdict()).isEqualTo("MISS");
  }

  @Test
  void shouldReportAMeasureThatDidNotRunWithItsReason() {
    // given
    Report report = new Report();
    report.add(Measure.notRun("dl", "infer", Goal.ratioAtLeast(0.8), "no inference service"));

    // when
    String markdown = report.toMarkdown();
    JsonNode json = report.toJson().get("measures").get(0);

    // then
    assertThat(markdown)
        .contains("| dl: infer | not run | - | - | ratio >= 0.800 | not run |")
        .contains("- dl: infer: no inference service");
    assertThat(json.get("value").isNull()).isTrue();
    assertThat(json.get("verdict").asText()).isEqualTo("not run");
    assertThat(json.get("note").asText()).isEqualTo("no inference service");
  }

  @Test
  void shouldWriteOneTableRowPerMeasureWithBaselineAndRatio() {
    // given
    Report report = new Report();
    report.environment("cores (nproc)", "2");
    report.add(Measure.against("hop", "p50", 12, "ms", 4, "raw p50", Goal.atMost(10)));

    // when
    String markdown = report.toMarkdown();

    // then
    assertThat(markdown)
        .contains("- cores (nproc): 2")
        .contains("| hop: p50 | 12 ms | 4 (raw p50) | 3 | <= 10 ms | MISS |");
  }

  @Test
  void shouldReportTheWorkersTransactionsPerSecondAndResultsPerTransactionOfALevel() {
    // given: 2,880 results in 600 worker transactions over 30 s
    ClosedLoop.Result result =
        new ClosedLoop.Result(
            96,
            24,
            2_880,
            720,
            0,
            40_000,
            9_000_000_000L,
            3_000_000_000L,
            5_760_000L,
            new WorkerTransactions.Reading(600, 2_880),
            600 / 30.0,
            0.5);
    Report report = new Report();

    // when
    EngineThroughput.workerTransactionMeasures(", 64 runs in flight", result, 2)
        .forEach(report::add);
    String markdown = report.toMarkdown();
    JsonNode json = report.toJson().get("measures");

    // then
    assertThat(markdown)
        .contains(
            "| engine throughput: worker transactions/s, 64 runs in flight | 20 transactions/s"
                + " | - | - | - | - |")
        .contains(
            "| engine throughput: results per worker transaction, 64 runs in flight | 4.80  | - |"
                + " - | - | - |")
        .contains("2 in-process workers")
        .contains("2880 results in 600 transactions");
    assertThat(json.get(0).get("value").asDouble()).isEqualTo(20.0);
    assertThat(json.get(0).get("unit").asText()).isEqualTo("transactions/s");
    assertThat(json.get(1).get("value").asDouble()).isEqualTo(4.8);
    assertThat(result.coordinatorCpuMillisPerTask()).isEqualTo(1.0 / 0.96, within(1e-9));
    assertThat(result.changelogBytesPerTask()).isEqualTo(2_000.0);
  }

  @Test
  void shouldHaveNoResultsPerTransactionForAWindowWithoutTransactions() {
    // given
    ClosedLoop.Result result =
        new ClosedLoop.Result(
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            -1,
            new WorkerTransactions.Reading(0, 0),
            Double.NaN,
            Double.NaN);

    // then
    assertThat(result.resultsPerWorkerTransaction()).isNaN();
    assertThat(result.coordinatorCpuMillisPerTask()).isNaN();
    assertThat(result.changelogBytesPerTask()).isNaN();
  }

  @Test
  void shouldTellHowBusyTheMachinesCoresWereFromTwoReadingsOfProcStat() {
    // given: 400 jiffies passed, 100 of them idle or waiting for I/O
    MachineCpu.Reading before = MachineCpu.parse("cpu  1000 0 500 2000 100 0 0 0 0 0");
    MachineCpu.Reading after = MachineCpu.parse("cpu  1200 0 600 2080 120 0 0 0 0 0");

    // then
    assertThat(after.busySince(before)).isEqualTo(0.75);
    assertThat(MachineCpu.parse("intr 1 2 3").busySince(before)).isNaN();
  }

  @Test
  void shouldTakeNearestRankPercentiles() {
    // given
    Percentiles p = new Percentiles(List.of(5, 1, 4, 2, 3, 6, 7, 8, 9, 10));

    // then
    assertThat(p.at(50)).isEqualTo(5);
    assertThat(p.at(99)).isEqualTo(10);
    assertThat(p.count()).isEqualTo(10);
  }
}

package io.weft.benchmarks;

import java.util.List;

/**
 * The soak's verdict as measures of the report: runs started, completed, failed and lost;
 * duplicated effects; run latency; the kills done. Losses and duplicates have a goal of none.
 */
final class SoakFigures {

  private final SoakLedger.Summary runs;
  private final ResultCounts results;
  private final int refused;
  private final int workerKills;
  private final int coordinatorKills;
  private final int brokerKills;
  private final int killFailures;

  SoakFigures(
      SoakLedger.Summary runs,
      ResultCounts results,
      int refused,
      SoakCast cast,
      int brokerKills,
      int killFailures) {
    this.runs = runs;
    this.results = results;
    this.refused = refused;
    this.workerKills = cast.kills(SoakCast.Role.WORKER);
    this.coordinatorKills = cast.kills(SoakCast.Role.COORDINATOR);
    this.brokerKills = brokerKills;
    this.killFailures = killFailures;
  }

  void addTo(Report report) {
    report.add(
        count("runs started", runs.started())
            .withNote(
                String.format(
                    "acknowledged by the client (acks=all); %,d more starts were not", refused)));
    report.add(count("runs completed", runs.succeeded()).withNote("a committed RunSucceeded"));
    report.add(count("runs failed or cancelled", runs.failed()));
    report.add(
        Measure.of(Soak.NAME, "runs lost", runs.lost(), "runs", Goal.atMost(0))
            .withNote("acknowledged, but no committed final event after the final wait"));
    report.add(
        Measure.of(
                Soak.NAME,
                "duplicated task successes",
                runs.duplicateSuccesses(),
                "tasks",
                Goal.atMost(0))
            .withNote("(run, task) with more than one committed TaskSucceeded"));
    report.add(
        Measure.of(
                Soak.NAME,
                "duplicated task results",
                results.duplicates(),
                "attempts",
                Goal.atMost(0))
            .withNote(
                String.format(
                    "(run, task, attempt) with more than one committed TaskResult, of %,d attempts",
                    results.attempts())));
    addLatency(report, runs.latenciesMs());
    report.add(count("worker JVMs killed", workerKills));
    report.add(count("coordinator JVMs killed", coordinatorKills));
    report.add(
        count("broker nodes killed", brokerKills)
            .withNote(
                String.format(
                    "each restarted and waited for until in sync; %d kills or restarts failed (see"
                        + " the log)",
                    killFailures)));
  }

  private static void addLatency(Report report, List<Long> latencies) {
    if (latencies.isEmpty()) {
      report.add(Measure.notRun(Soak.NAME, "run latency p50", null, "no run completed"));
      return;
    }
    Percentiles p = new Percentiles(latencies);
    String note = "RunStarted to RunSucceeded, from the events' timestamps, kills included";
    report.add(Measure.of(Soak.NAME, "run latency p50", p.at(50), "ms", null).withNote(note));
    report.add(Measure.of(Soak.NAME, "run latency p99", p.at(99), "ms", null));
    report.add(Measure.of(Soak.NAME, "run latency max", p.at(100), "ms", null));
  }

  private static Measure count(String name, long value) {
    return Measure.of(Soak.NAME, name, value, "", null);
  }
}

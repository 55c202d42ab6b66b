package io.weft.benchmarks;

import io.weft.testkit.ChildJvm;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Section 4a: throughput of a CPU-light task type (a SHA-256 of 4 KB) with 1, 2 and 4 worker
 * processes, each a JVM of its own; the coordinator and broker stay in this JVM. Each count gets
 * its own task type and workflow, so that no earlier requests or group members linger.
 */
final class WorkerScaling implements Section {

  static final String NAME = "worker scaling";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    WeftInstallation installation = context.installation();
    Plan plan = context.plan();
    double single = Double.NaN;
    for (int processes : plan.workerProcesses()) {
      String type = "bench-light-" + processes;
      List<ChildJvm> workers = new ArrayList<>();
      try {
        for (int i = 0; i < processes; i++) {
          workers.add(
              installation.launchWorkerProcess(
                  Map.of(
                      "worker.id", type + "-w" + i, "worker.concurrency", plan.workerConcurrency()),
                  type));
        }
        for (ChildJvm worker : workers) {
          worker.awaitReady(START_TIMEOUT);
        }
        installation.client().register(Workflows.diamond(type, type));
        installation.awaitStableGroup(type, processes);
        ClosedLoop.Result result =
            ClosedLoop.run(
                installation, type, plan.runsInFlight(), plan.scaleWarmUp(), plan.scaleSteady());
        if (processes == 1) {
          single = result.tasksPerSecond();
        }
        String note =
            String.format(
                "%d runs in flight, concurrency %d per process, %d s steady state; %.2fx the"
                    + " single process; %d runs failed",
                plan.runsInFlight(),
                plan.workerConcurrency(),
                plan.scaleSteady().toSeconds(),
                result.tasksPerSecond() / single,
                result.failedRuns());
        String name =
            "CPU-light tasks/s, " + processes + " worker JVM" + (processes > 1 ? "s" : "");
        Measure measure =
            context.rawProducerRate().isPresent()
                ? Measure.against(
                    NAME,
                    name,
                    result.tasksPerSecond(),
                    "tasks/s",
                    context.rawProducerRate().getAsDouble(),
                    "raw rec/s",
                    null)
                : Measure.of(NAME, name, result.tasksPerSecond(), "tasks/s", null);
        context.report().add(measure.withNote(note));
      } finally {
        workers.forEach(ChildJvm::close);
      }
    }
  }
}

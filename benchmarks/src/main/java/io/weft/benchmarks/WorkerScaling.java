package io.weft.benchmarks;

import io.weft.testkit.ChildJvm;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Section 4a: horizontal scaling. Tasks of three kinds — I/O-like (wait 10 ms), CPU-bound (a few
 * milliseconds of SHA-256) and CPU-light (one SHA-256 of 4 KB) — with 1, 2 and 4 worker processes,
 * each a JVM of its own with a fixed concurrency; the coordinator and broker stay in this JVM. Each
 * kind and count gets its own task type and workflow, so that no earlier requests or group members
 * linger. Each figure is also given as a ratio to one process of the same kind.
 */
final class WorkerScaling implements Section {

  static final String NAME = "worker scaling";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** A kind of task, named by its type's prefix in {@link Handlers}. */
  private record Kind(String prefix, String label, Goal twoProcesses, Goal fourProcesses) {}

  private static final List<Kind> KINDS =
      List.of(
          new Kind(
              "bench-io-", "I/O-like (10 ms wait)", Goal.ratioAtLeast(1.8), Goal.ratioAtLeast(3.0)),
          new Kind("bench-cpu-", "CPU-bound", Goal.ratioAtLeast(0.95), null),
          new Kind("bench-light-", "CPU-light", null, null));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    for (Kind kind : KINDS) {
      double single = Double.NaN;
      for (int processes : context.plan().workerProcesses()) {
        ClosedLoop.Result result = measure(context, kind, processes);
        if (processes == 1) {
          single = result.tasksPerSecond();
        }
        report(context, kind, processes, result, single);
      }
    }
  }

  private static ClosedLoop.Result measure(BenchContext context, Kind kind, int processes)
      throws Exception {
    WeftInstallation installation = context.installation();
    Plan plan = context.plan();
    String type = kind.prefix() + processes;
    List<ChildJvm> workers = new ArrayList<>();
    try {
      for (int i = 0; i < processes; i++) {
        workers.add(
            installation.launchWorkerProcess(
                Map.of("worker.id", type + "-w" + i, "worker.concurrency", plan.scaleConcurrency()),
                type));
      }
      for (ChildJvm worker : workers) {
        worker.awaitReady(START_TIMEOUT);
      }
      installation.client().register(Workflows.diamond(type, type));
      installation.awaitStableGroup(type, processes);
      return ClosedLoop.run(
          installation, type, plan.runsInFlight(), plan.scaleWarmUp(), plan.scaleSteady());
    } finally {
      workers.forEach(ChildJvm::close);
    }
  }

  private static void report(
      BenchContext context, Kind kind, int processes, ClosedLoop.Result result, double single) {
    Plan plan = context.plan();
    String name =
        kind.label() + " tasks/s, " + processes + " worker JVM" + (processes > 1 ? "s" : "");
    String note =
        String.format(
            "%d runs in flight, concurrency %d per process, %d s steady state after %d s of"
                + " warm-up; %d runs failed; %.2f ms CPU of the harness JVM per task; the"
                + " machine's cores %.0f%% busy (all processes)",
            plan.runsInFlight(),
            plan.scaleConcurrency(),
            plan.scaleSteady().toSeconds(),
            plan.scaleWarmUp().toSeconds(),
            result.failedRuns(),
            result.cpuMillisPerTask(),
            result.machineCpuBusy() * 100);
    Goal goal =
        switch (processes) {
          case 2 -> kind.twoProcesses();
          case 4 -> kind.fourProcesses();
          default -> null;
        };
    Measure measure =
        processes == 1
            ? Measure.of(NAME, name, result.tasksPerSecond(), "tasks/s", null)
            : Measure.against(
                NAME, name, result.tasksPerSecond(), "tasks/s", single, "1 JVM tasks/s", goal);
    context.report().add(measure.withNote(note));
  }
}

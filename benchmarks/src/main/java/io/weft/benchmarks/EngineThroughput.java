package io.weft.benchmarks;

import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Section 2: the engine's throughput. The coordinator and {@link Plan#workers()} workers with no-op
 * handlers in this JVM, beside the broker, keep {@link Plan#runsInFlight()} runs of a 4-task
 * diamond going; committed task and run completions are counted over the steady state.
 */
final class EngineThroughput implements Section {

  static final String NAME = "engine throughput";
  static final Goal TASKS_GOAL = Goal.atLeast(5_000);
  private static final String TYPE = "bench-noop";
  private static final String WORKFLOW = "bench-diamond";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    WeftInstallation installation = context.installation();
    Plan plan = context.plan();
    List<Worker> workers = new ArrayList<>();
    try {
      for (int i = 0; i < plan.workers(); i++) {
        workers.add(
            installation.startWorker(
                Map.of("worker.concurrency", plan.workerConcurrency()), Handlers.noop(TYPE)));
      }
      installation.client().register(Workflows.diamond(WORKFLOW, TYPE));
      installation.awaitStableGroup(TYPE, plan.workers());
      ClosedLoop.Result result =
          ClosedLoop.run(installation, WORKFLOW, plan.runsInFlight(), plan.warmUp(), plan.steady());
      String setup =
          String.format(
              "%d in-process workers (concurrency %d), %d diamond runs in flight, %d s steady state after %d s"
                  + " warm-up; %d tasks and %d runs counted, %d runs failed",
              plan.workers(),
              plan.workerConcurrency(),
              plan.runsInFlight(),
              plan.steady().toSeconds(),
              plan.warmUp().toSeconds(),
              result.tasks(),
              result.runs(),
              result.failedRuns());
      context
          .report()
          .add(
              Measure.of(NAME, "no-op tasks/s", result.tasksPerSecond(), "tasks/s", TASKS_GOAL)
                  .withNote(setup));
      context
          .report()
          .add(Measure.of(NAME, "runs/s (4-task diamond)", result.runsPerSecond(), "runs/s", null));
      context
          .rawProducerRate()
          .ifPresent(
              raw ->
                  context
                      .report()
                      .add(
                          Measure.against(
                              NAME,
                              "tasks/s vs raw producer records/s",
                              result.tasksPerSecond(),
                              "tasks/s",
                              raw,
                              "raw rec/s",
                              null)));
    } finally {
      workers.forEach(Worker::close);
    }
  }
}

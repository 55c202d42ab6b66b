package io.weft.benchmarks;

import io.weft.core.api.Resources;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 2: the engine's throughput. The coordinator and {@link Plan#workers()} workers with no-op
 * handlers in this JVM, beside the broker, keep {@link Plan#runsInFlight()} runs of a 4-task
 * diamond going; committed task and run completions are counted over the steady state, and so are
 * the transactions the workers committed and the task results those carried.
 */
final class EngineThroughput implements Section {

  static final String NAME = "engine throughput";
  static final Goal TASKS_GOAL = Goal.atLeast(5_000);
  private static final String TYPE = "bench-noop";
  private static final String WORKFLOW = "bench-diamond";
  private static final String DECLARED_WORKFLOW = "bench-diamond-resources";

  /**
   * What each task of {@link #DECLARED_WORKFLOW} declares: little enough that a worker's default
   * capacity (its machine's cores and memory) admits as many as its handler slots.
   */
  static final Resources DECLARED = new Resources(0.01, 1L << 20, null);

  static final Goal RESOURCES_GOAL = Goal.ratioAtLeast(0.95);

  /** The name of the comparison's figure, before its level. */
  static final String WITH_RESOURCES = "no-op tasks/s with resources declared vs without, ";

  /** Rounds of each in the comparison: two for the record, one in a smoke run. */
  private static int resourceRounds(Plan plan) {
    return plan.steady().toSeconds() >= 10 ? 2 : 1;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** One level of load: {@code inFlight} diamond runs kept going by {@code workers}. */
  private static void measure(BenchContext context, int inFlight, List<Worker> workers)
      throws Exception {
    Plan plan = context.plan();
    ClosedLoop.Result result =
        ClosedLoop.run(
            context.installation(), WORKFLOW, inFlight, plan.warmUp(), plan.steady(), workers);
    context.maxTasksPerSecond(result.tasksPerSecond());
    String level = ", " + inFlight + " runs in flight";
    String setup =
        String.format(
            "%d in-process workers (concurrency %d), %d diamond runs in flight, %d s steady state"
                + " after %d s warm-up; %d tasks and %d runs counted, %d runs failed",
            plan.workers(),
            plan.workerConcurrency(),
            inFlight,
            plan.steady().toSeconds(),
            plan.warmUp().toSeconds(),
            result.tasks(),
            result.runs(),
            result.failedRuns());
    context
        .report()
        .add(
            Measure.of(
                    NAME, "no-op tasks/s" + level, result.tasksPerSecond(), "tasks/s", TASKS_GOAL)
                .withNote(setup));
    context
        .report()
        .add(
            Measure.of(
                NAME, "runs/s (4-task diamond)" + level, result.runsPerSecond(), "runs/s", null));
    context
        .report()
        .add(
            Measure.of(
                    NAME, "log offsets written per task" + level, result.offsetsPerTask(), "", null)
                .withNote(
                    "records and transaction markers in the installation's topics (requests,"
                        + " results, events, commands, changelogs), over the steady state"));
    context
        .report()
        .add(
            Measure.of(NAME, "CPU per task" + level, result.cpuMillisPerTask(), "ms", null)
                .withNote(
                    String.format(
                        "CPU time of the harness JVM (broker, coordinator, workers) per task;"
                            + " the machine's cores %.0f%% busy (all processes)",
                        result.machineCpuBusy() * 100)));
    context
        .report()
        .add(
            Measure.of(
                    NAME,
                    "coordinator CPU per task" + level,
                    result.coordinatorCpuMillisPerTask(),
                    "ms",
                    null)
                .withNote("CPU time of the coordinator's stream threads per task"));
    context
        .report()
        .add(
            Measure.of(
                    NAME,
                    "changelog bytes per task" + level,
                    result.changelogBytesPerTask(),
                    "bytes",
                    null)
                .withNote(
                    "bytes the broker took in on the coordinator's changelog topics (runs,"
                        + " timers) per task, batch overhead included"));
    workerTransactionMeasures(level, result, workers.size()).forEach(context.report()::add);
    context
        .rawProducerRate()
        .ifPresent(
            raw ->
                context
                    .report()
                    .add(
                        Measure.against(
                            NAME,
                            "tasks/s vs raw producer records/s" + level,
                            result.tasksPerSecond(),
                            "tasks/s",
                            raw,
                            "raw rec/s",
                            null)));
  }

  /**
   * The same load with and without resources declared on every task, alternating ({@link
   * #resourceRounds} rounds of each, plain first), so that drift in the machine's speed over the
   * section weighs on both alike: what admission by declared resources costs.
   */
  private static void compareDeclaredResources(
      BenchContext context, int inFlight, List<Worker> workers) throws Exception {
    Plan plan = context.plan();
    int rounds = resourceRounds(plan);
    double plain = 0;
    double declared = 0;
    List<String> pairs = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      double without =
          ClosedLoop.run(
                  context.installation(), WORKFLOW, inFlight, plan.warmUp(), plan.steady(), workers)
              .tasksPerSecond();
      double with =
          ClosedLoop.run(
                  context.installation(),
                  DECLARED_WORKFLOW,
                  inFlight,
                  plan.warmUp(),
                  plan.steady(),
                  workers)
              .tasksPerSecond();
      plain += without / rounds;
      declared += with / rounds;
      pairs.add(String.format("%.0f vs %.0f", with, without));
    }
    context
        .report()
        .add(
            Measure.against(
                    NAME,
                    WITH_RESOURCES + inFlight + " runs in flight",
                    declared,
                    "tasks/s",
                    plain,
                    "tasks/s without",
                    RESOURCES_GOAL)
                .withNote(
                    "every task declaring "
                        + DECLARED
                        + ", admitted by each worker's capacity; means of "
                        + rounds
                        + " alternating rounds (with vs without: "
                        + String.join(", ", pairs)
                        + ")"));
  }

  /**
   * The workers' committed transactions per second and task results per transaction over the steady
   * state of one level ({@code level} ends their names), from the counters of the {@code workers}
   * in-process workers.
   */
  static List<Measure> workerTransactionMeasures(
      String level, ClosedLoop.Result result, int workers) {
    WorkerTransactions.Reading counted = result.workerTransactions();
    return List.of(
        Measure.of(
                NAME,
                "worker transactions/s" + level,
                result.workerTransactionsPerSecond(),
                "transactions/s",
                null)
            .withNote(
                String.format(
                    "transactions committed by the %d in-process workers (Worker.transactions(),"
                        + " summed; each with the results and input offsets that one poll turn"
                        + " found finished), over the steady state: %d",
                    workers, counted.transactions())),
        Measure.of(
                NAME,
                "results per worker transaction" + level,
                result.resultsPerWorkerTransaction(),
                "",
                null)
            .withNote(
                String.format(
                    "task results the workers committed (Worker.committedResults(), summed) per"
                        + " transaction, over the steady state: %d results in %d transactions",
                    counted.results(), counted.transactions())));
  }

  @Override
  public void run(BenchContext context) throws Exception {
    WeftInstallation installation = context.installation();
    Plan plan = context.plan();
    List<Worker> workers = new ArrayList<>();
    try {
      workers.addAll(context.startNoopWorkers(TYPE));
      installation.client().register(Workflows.diamond(WORKFLOW, TYPE));
      installation.awaitStableGroup(TYPE, plan.workers());
      for (int level : plan.throughputLevels()) {
        measure(context, level, workers);
      }
      installation.client().register(Workflows.diamond(DECLARED_WORKFLOW, TYPE, DECLARED));
      compareDeclaredResources(
          context, plan.throughputLevels().get(plan.throughputLevels().size() - 1), workers);
    } finally {
      workers.forEach(Worker::close);
    }
  }
}

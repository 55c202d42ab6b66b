package io.weft.benchmarks;

import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Section 3: the latency of one hop at low load. Runs of a 20-task chain with no-op handlers, one
 * at a time, a worker in this JVM. Per hop, two figures:
 *
 * <ul>
 *   <li><b>dispatch hop</b>: from the time field of task n's {@code TaskSucceeded} event (when the
 *       coordinator recorded it, in the transaction that also dispatches task n+1; the event is
 *       read {@code read_committed}) to the start of task n+1's handler. This is the goal's
 *       measure.
 *   <li><b>task to task</b>: from task n's handler returning to task n+1's handler starting: the
 *       worker's result transaction, the coordinator's, and the dispatch.
 * </ul>
 */
final class HopLatency implements Section {

  static final String NAME = "hop latency";
  private static final String TYPE = "bench-hop";
  private static final String WORKFLOW = "bench-chain";
  private static final String LOAD_TYPE = "bench-hop-load";
  private static final String LOAD_WORKFLOW = "bench-hop-load";
  private static final long RUN_TIMEOUT_SECONDS = 120;

  /** Handler timings by {@code runId/taskId}. */
  private record Timing(long startMillis, long startNanos, long endNanos) {}

  private final Map<String, Timing> timings = new ConcurrentHashMap<>();
  private final Map<String, Long> succeededAt = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Boolean>> finished = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    WeftInstallation installation = context.installation();
    Worker worker = installation.startWorker(Map.of(), timingHandler());
    try (RunStarter starter = new RunStarter(installation);
        EventTap tap = EventTap.start(installation, this::onEvent)) {
      installation.client().register(Workflows.chain(WORKFLOW, TYPE));
      // the first run warms up the path and is not counted
      chains(starter, tap, 1);
      report(context, chains(starter, tap, context.plan().hopRuns()), "", true);
      underLoad(context, starter, tap);
    } finally {
      worker.close();
    }
  }

  /** The hop again, with diamond runs started at fractions of the measured maximum throughput. */
  private void underLoad(BenchContext context, RunStarter starter, EventTap tap) throws Exception {
    Plan plan = context.plan();
    if (context.maxTasksPerSecond().isEmpty()) {
      for (double level : plan.hopLoadLevels()) {
        context
            .report()
            .add(
                Measure.notRun(
                    NAME,
                    "dispatch hop p50" + atLoad(level),
                    null,
                    "needs the engine throughput section's maximum"));
      }
      return;
    }
    double max = context.maxTasksPerSecond().getAsDouble();
    WeftInstallation installation = context.installation();
    Worker loadWorker =
        installation.startWorker(
            Map.of("worker.concurrency", plan.workerConcurrency()), Handlers.noop(LOAD_TYPE));
    try {
      installation.client().register(Workflows.diamond(LOAD_WORKFLOW, LOAD_TYPE));
      for (double level : plan.hopLoadLevels()) {
        double runsPerSecond = level * max / Workflows.DIAMOND_TASKS;
        try (BackgroundLoad load = BackgroundLoad.start(starter, LOAD_WORKFLOW, runsPerSecond)) {
          List<String> runs = chains(starter, tap, plan.hopLoadRuns());
          report(context, runs, atLoad(level), false);
          load.check();
        }
      }
    } finally {
      loadWorker.close();
    }
  }

  private static String atLoad(double level) {
    return String.format(" at %.0f%% of the maximum no-op tasks/s", level * 100);
  }

  /** Runs {@code count} chains one after another; returns their run ids. */
  private List<String> chains(RunStarter starter, EventTap tap, int count) throws Exception {
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String runId = RunStarter.newRunId();
      CompletableFuture<Boolean> done = new CompletableFuture<>();
      finished.put(runId, done);
      starter.start(runId, WORKFLOW);
      if (!done.get(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Chain run " + runId + " failed");
      }
      tap.check();
      runs.add(runId);
    }
    return runs;
  }

  private void report(BenchContext context, List<String> runs, String load, boolean idle) {
    List<Double> dispatch = new ArrayList<>();
    List<Double> taskToTask = new ArrayList<>();
    for (String run : runs) {
      for (int i = 0; i + 1 < Workflows.CHAIN_TASKS; i++) {
        String from = run + "/" + Workflows.taskId(i);
        String to = run + "/" + Workflows.taskId(i + 1);
        Timing next = timings.get(to);
        dispatch.add((double) (next.startMillis() - succeededAt.get(from)));
        taskToTask.add((next.startNanos() - timings.get(from).endNanos()) / 1e6);
      }
    }
    Percentiles hops = new Percentiles(dispatch);
    Percentiles full = new Percentiles(taskToTask);
    String note =
        String.format(
            "%d hops of %d chain runs (20 tasks, one run at a time)%s; millisecond clock",
            hops.count(), runs.size(), idle ? "" : ", beside the background load");
    OptionalDouble rawP50 = context.rawLatencyP50();
    OptionalDouble rawP99 = context.rawLatencyP99();
    OptionalDouble none = OptionalDouble.empty();
    Goal p50Goal = idle ? Goal.atMost(10) : null;
    Goal p99Goal = idle ? Goal.atMost(40) : null;
    add(context, "dispatch hop p50" + load, hops.at(50), rawP50, "raw p50", p50Goal, note);
    if (idle) {
      add(context, "dispatch hop p95", hops.at(95), none, null, null, null);
    }
    add(context, "dispatch hop p99" + load, hops.at(99), rawP99, "raw p99", p99Goal, null);
    if (idle) {
      add(context, "task-to-task p50", full.at(50), rawP50, "raw p50", null, null);
      add(context, "task-to-task p99", full.at(99), rawP99, "raw p99", null, null);
    }
  }

  private static void add(
      BenchContext context,
      String name,
      double value,
      OptionalDouble raw,
      String rawName,
      Goal goal,
      String note) {
    Measure measure =
        raw.isPresent()
            ? Measure.against(NAME, name, value, "ms", raw.getAsDouble(), rawName, goal)
            : Measure.of(NAME, name, value, "ms", goal);
    context.report().add(note == null ? measure : measure.withNote(note));
  }

  private void onEvent(RunEvent event, long recordTimestamp, long receivedNanos) {
    Object body = event.getEvent();
    if (body instanceof TaskSucceeded s) {
      succeededAt.put(event.getRunId() + "/" + s.getTaskId(), event.getTimestamp().toEpochMilli());
    } else if (body instanceof RunSucceeded || body instanceof RunFailed) {
      CompletableFuture<Boolean> done = finished.get(event.getRunId());
      if (done != null) {
        done.complete(body instanceof RunSucceeded);
      }
    }
  }

  private TaskHandler timingHandler() {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return TYPE;
      }

      @Override
      public TaskOutputs execute(TaskContext task) {
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        String key = task.runId() + "/" + task.taskId();
        timings.put(key, new Timing(startMillis, startNanos, System.nanoTime()));
        return TaskOutputs.empty();
      }
    };
  }
}

package io.weft.benchmarks;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Section 4c: one wide fan-out. A run whose {@code forEach} has {@link Plan#fanOutChildren()}
 * children of a no-op task, then one task after them, on {@link Plan#workers()} in-process workers:
 * the run's wall time from its start command to its end, and what it cost the coordinator, the CPU
 * time of its stream threads and the bytes written to its changelogs.
 */
final class FanOut implements Section {

  static final String NAME = "fan-out";
  private static final String TYPE = "bench-fan";
  private static final Duration TIMEOUT = Duration.ofMinutes(15);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    WeftInstallation installation = context.installation();
    Plan plan = context.plan();
    int children = plan.fanOutChildren();
    List<Worker> workers = new ArrayList<>();
    try {
      workers.addAll(context.startNoopWorkers(TYPE));
      installation
          .client()
          .register(
              WorkflowDefinition.builder("bench-fan-out", 1)
                  .param("grid", IntStream.range(0, children).boxed().toList())
                  .task(TaskDefinition.builder("each", TYPE).forEach("${params.grid}"))
                  .task(TaskDefinition.builder("after", TYPE).dependsOn("each"))
                  .build());
      installation.awaitStableGroup(TYPE, plan.workers());
      LogVolume.Reading before = LogVolume.read(installation);
      long t0 = System.nanoTime();
      String runId = installation.client().startRun("bench-fan-out", Map.of());
      RunView run = installation.client().awaitCompletion(runId, TIMEOUT);
      double seconds = (System.nanoTime() - t0) / 1e9;
      LogVolume.Reading after = LogVolume.read(installation);
      String label = String.format(" (%,d children)", children);
      String setup =
          String.format(
              "a forEach of %,d no-op children, then one task; %d in-process workers (concurrency"
                  + " %d); the run ended %s",
              children, plan.workers(), plan.workerConcurrency(), run.status());
      context
          .report()
          .add(Measure.of(NAME, "wall time" + label, seconds, "s", null).withNote(setup));
      double coordinatorCpu = (after.coordinatorCpuNanos() - before.coordinatorCpuNanos()) / 1e9;
      context
          .report()
          .add(
              Measure.of(NAME, "coordinator CPU" + label, coordinatorCpu, "s", null)
                  .withNote("CPU time of the coordinator's stream threads over the run"));
      if (before.changelogBytes() >= 0) {
        long bytes = after.changelogBytes() - before.changelogBytes();
        context
            .report()
            .add(
                Measure.of(NAME, "changelog bytes" + label, bytes, "bytes", null)
                    .withNote(
                        String.format(
                            "bytes the broker took in on the coordinator's changelogs over the"
                                + " run: %,.0f per child",
                            bytes / (double) children)));
      }
      if (run.status() != RunView.Status.SUCCEEDED) {
        throw new IllegalStateException(
            "The fan-out run ended " + run.status() + ": " + run.error());
      }
    } finally {
      workers.forEach(Worker::close);
    }
  }
}

package io.weft.benchmarks;

import io.weft.core.api.Recovery;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.events.RunSucceeded;
import io.weft.testkit.Changelogs;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Section 4d: recovering a coordinator's state from the event log. {@link Plan#recoveredRuns()}
 * runs of a one-task workflow are run to their end; then the coordinator is stopped, its changelog
 * topics are deleted, and {@link Recovery#rebuild} rebuilds its state from {@code weft.events}
 * (wiping the local state directory). Measured: the rebuild's wall time, and the time until a
 * coordinator started on the rebuilt changelogs is running again (it restores its stores from
 * them).
 */
final class RecoveryTime implements Section {

  static final String NAME = "recovery";
  private static final String TYPE = "bench-recover";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    WeftInstallation installation = context.installation();
    Plan plan = context.plan();
    int runs = plan.recoveredRuns();
    List<Worker> workers = new ArrayList<>();
    AtomicLong finished = new AtomicLong();
    try (EventTap tap =
        EventTap.start(
            installation,
            (event, timestamp, received) -> {
              if (event.getEvent() instanceof RunSucceeded) {
                finished.incrementAndGet();
              }
            })) {
      workers.addAll(context.startNoopWorkers(TYPE));
      installation
          .client()
          .register(
              WorkflowDefinition.builder("bench-recover", 1)
                  .task(TaskDefinition.builder("a", TYPE))
                  .build());
      installation.awaitStableGroup(TYPE, plan.workers());
      long before = finished.get();
      try (RunStarter starter = new RunStarter(installation)) {
        for (int i = 0; i < runs; i++) {
          starter.start(RunStarter.newRunId(), "bench-recover");
        }
        starter.flush();
      }
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (finished.get() - before < runs) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              (finished.get() - before) + " of " + runs + " runs finished within " + TIMEOUT);
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    } finally {
      workers.forEach(Worker::close);
    }

    installation.stopCoordinator();
    Changelogs.deleteAll(installation.bootstrapServers(), installation.applicationId());
    long t0 = System.nanoTime();
    Recovery.Report report = Recovery.rebuild(installation.coordinatorSettings(), true);
    double rebuild = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    installation.startCoordinator();
    double restart = (System.nanoTime() - t1) / 1e9;

    String setup =
        String.format(
            "%,d runs recovered from %,d events on %d partitions (%,d runs of this section, the"
                + " rest from earlier sections)",
            report.runs(), report.eventsRead(), report.partitions(), runs);
    context
        .report()
        .add(Measure.of(NAME, "rebuild from the event log", rebuild, "s", null).withNote(setup));
    context
        .report()
        .add(
            Measure.of(NAME, "coordinator start on the rebuilt changelogs", restart, "s", null)
                .withNote("Coordinator.start until its stream thread runs: the stores restored"));
  }
}

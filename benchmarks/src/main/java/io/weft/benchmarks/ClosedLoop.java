package io.weft.benchmarks;

import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a fixed number of runs of one workflow in flight: whenever the committed event log shows a
 * run finished, another starts. Counts committed {@code TaskSucceeded} and {@code RunSucceeded}
 * events over a steady-state window after a warm-up, then lets the runs in flight finish. If the
 * workers run in this JVM, also reads their transaction counters at the window's edges.
 */
final class ClosedLoop {

  /** What the window saw. */
  record Result(
      double tasksPerSecond,
      double runsPerSecond,
      long tasks,
      long runs,
      long failedRuns,
      long offsetsWritten,
      long cpuNanos,
      long coordinatorCpuNanos,
      long changelogBytes,
      WorkerTransactions.Reading workerTransactions,
      double workerTransactionsPerSecond,
      double machineCpuBusy) {

    /** Log offsets (records and transaction markers) written per task done. */
    double offsetsPerTask() {
      return tasks == 0 ? Double.NaN : (double) offsetsWritten / tasks;
    }

    /** CPU time of the harness JVM per task done, in milliseconds. */
    double cpuMillisPerTask() {
      return tasks == 0 ? Double.NaN : cpuNanos / 1e6 / tasks;
    }

    /** CPU time of the coordinator's stream threads per task done, in milliseconds. */
    double coordinatorCpuMillisPerTask() {
      return tasks == 0 ? Double.NaN : coordinatorCpuNanos / 1e6 / tasks;
    }

    /** Bytes written to the coordinator's changelogs per task done; NaN if not measured. */
    double changelogBytesPerTask() {
      return tasks == 0 || changelogBytes < 0 ? Double.NaN : (double) changelogBytes / tasks;
    }

    /** Task results the workers committed per transaction they committed, over the window. */
    double resultsPerWorkerTransaction() {
      long transactions = workerTransactions.transactions();
      return transactions == 0 ? Double.NaN : (double) workerTransactions.results() / transactions;
    }
  }

  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicLong tasks = new AtomicLong();
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final String workflow;
  private volatile boolean stopping;
  private RunStarter starter;

  private ClosedLoop(String workflow) {
    this.workflow = workflow;
  }

  /**
   * Runs {@code workflow} with {@code concurrency} runs in flight, served by workers in other JVMs
   * (the result counts no worker transactions: zero, and NaN per second); see the class comment.
   */
  static Result run(
      WeftInstallation installation,
      String workflow,
      int concurrency,
      Duration warmUp,
      Duration steady)
      throws Exception {
    return run(installation, workflow, concurrency, warmUp, steady, List.of());
  }

  /**
   * Runs {@code workflow} with {@code concurrency} runs in flight, served by {@code workers} in
   * this JVM, whose transactions the result counts; see the class comment.
   */
  static Result run(
      WeftInstallation installation,
      String workflow,
      int concurrency,
      Duration warmUp,
      Duration steady,
      List<Worker> workers)
      throws Exception {
    return new ClosedLoop(workflow).measure(installation, concurrency, warmUp, steady, workers);
  }

  private Result measure(
      WeftInstallation installation,
      int concurrency,
      Duration warmUp,
      Duration steady,
      List<Worker> workers)
      throws Exception {
    try (RunStarter runStarter = new RunStarter(installation);
        EventTap tap = EventTap.start(installation, this::onEvent)) {
      this.starter = runStarter;
      for (int i = 0; i < concurrency; i++) {
        startOne();
      }
      runStarter.flush();
      TimeUnit.NANOSECONDS.sleep(warmUp.toNanos());
      tap.check();
      long tasks0 = tasks.get();
      long runs0 = runs.get();
      long failed0 = failed.get();
      LogVolume.Reading before = LogVolume.read(installation);
      WorkerTransactions.Reading transactions0 = WorkerTransactions.read(workers);
      MachineCpu.Reading cpu0 = MachineCpu.read();
      long t0 = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep(steady.toNanos());
      long tasks1 = tasks.get();
      long runs1 = runs.get();
      long failed1 = failed.get();
      WorkerTransactions.Reading transactions =
          WorkerTransactions.read(workers).since(transactions0);
      double machineCpuBusy = MachineCpu.read().busySince(cpu0);
      double seconds = (System.nanoTime() - t0) / 1e9;
      LogVolume.Reading after = LogVolume.read(installation);
      tap.check();
      stopping = true;
      awaitDrained();
      return new Result(
          (tasks1 - tasks0) / seconds,
          (runs1 - runs0) / seconds,
          tasks1 - tasks0,
          runs1 - runs0,
          failed1 - failed0,
          after.offsets() - before.offsets(),
          after.cpuNanos() - before.cpuNanos(),
          after.coordinatorCpuNanos() - before.coordinatorCpuNanos(),
          before.changelogBytes() < 0 ? -1 : after.changelogBytes() - before.changelogBytes(),
          transactions,
          workers.isEmpty() ? Double.NaN : transactions.transactions() / seconds,
          machineCpuBusy);
    }
  }

  private void startOne() {
    String runId = RunStarter.newRunId();
    inFlight.add(runId);
    starter.start(runId, workflow);
  }

  private void onEvent(RunEvent event, long recordTimestamp, long receivedNanos) {
    if (!inFlight.contains(event.getRunId())) {
      return;
    }
    Object body = event.getEvent();
    if (body instanceof TaskSucceeded) {
      tasks.incrementAndGet();
    } else if (body instanceof RunSucceeded
        || body instanceof RunFailed
        || body instanceof RunCancelled) {
      if (body instanceof RunSucceeded) {
        runs.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
      inFlight.remove(event.getRunId());
      if (!stopping) {
        startOne();
      }
    }
  }

  private void awaitDrained() throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}

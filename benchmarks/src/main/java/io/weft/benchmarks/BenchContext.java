package io.weft.benchmarks;

import io.weft.embedded.WeftStack;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** What the sections share: the stack, the plan, the Weft installation, the baseline and report. */
final class BenchContext {

  private final WeftStack stack;
  private final Plan plan;
  private final WeftInstallation installation;
  private final Report report;
  private final Path workDir;
  private volatile double rawProducerRate = Double.NaN;
  private volatile double maxTasksPerSecond = Double.NaN;
  private volatile double rawLatencyP50 = Double.NaN;
  private volatile double rawLatencyP99 = Double.NaN;

  BenchContext(
      WeftStack stack, Plan plan, WeftInstallation installation, Report report, Path workDir) {
    this.stack = stack;
    this.plan = plan;
    this.installation = installation;
    this.report = report;
    this.workDir = workDir;
  }

  WeftStack stack() {
    return stack;
  }

  Plan plan() {
    return plan;
  }

  WeftInstallation installation() {
    return installation;
  }

  Report report() {
    return report;
  }

  /**
   * Starts the plan's in-process workers ({@link Plan#workers()}, each {@link
   * Plan#workerConcurrency()} slots) with a no-op handler of {@code type}; the caller closes them.
   */
  List<Worker> startNoopWorkers(String type) {
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < plan.workers(); i++) {
      workers.add(
          installation.startWorker(
              Map.of("worker.concurrency", plan.workerConcurrency()), Handlers.noop(type)));
    }
    return workers;
  }

  Path workDir() {
    return workDir;
  }

  /** The most no-op tasks/s the engine throughput section measured, for loads relative to it. */
  void maxTasksPerSecond(double tasksPerSecond) {
    if (Double.isNaN(maxTasksPerSecond) || tasksPerSecond > maxTasksPerSecond) {
      maxTasksPerSecond = tasksPerSecond;
    }
  }

  /** The most no-op tasks/s measured, if the engine throughput section ran. */
  OptionalDouble maxTasksPerSecond() {
    return Double.isNaN(maxTasksPerSecond)
        ? OptionalDouble.empty()
        : OptionalDouble.of(maxTasksPerSecond);
  }

  void rawBaseline(double producerRate, double latencyP50, double latencyP99) {
    this.rawProducerRate = producerRate;
    this.rawLatencyP50 = latencyP50;
    this.rawLatencyP99 = latencyP99;
  }

  /** Raw Kafka producer records/s, if the baseline ran. */
  OptionalDouble rawProducerRate() {
    return Double.isNaN(rawProducerRate)
        ? OptionalDouble.empty()
        : OptionalDouble.of(rawProducerRate);
  }

  /** Raw Kafka one-hop p50 in ms, if the baseline ran. */
  OptionalDouble rawLatencyP50() {
    return Double.isNaN(rawLatencyP50) ? OptionalDouble.empty() : OptionalDouble.of(rawLatencyP50);
  }

  /** Raw Kafka one-hop p99 in ms, if the baseline ran. */
  OptionalDouble rawLatencyP99() {
    return Double.isNaN(rawLatencyP99) ? OptionalDouble.empty() : OptionalDouble.of(rawLatencyP99);
  }
}

package io.weft.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each section runs.
 *
 * @param rawProduce how long the raw producer sends
 * @param rawLatencySamples one-hop samples of raw Kafka, one every {@link #rawLatencyPause}
 * @param rawLatencyPause pause between two one-hop samples (a low rate)
 * @param rawTransactions raw transactions timed one after another
 * @param warmUp engine load before measuring
 * @param steady engine load measured
 * @param workers in-process workers of the engine throughput section
 * @param workerConcurrency {@code worker.concurrency} of the throughput sections' workers
 * @param runsInFlight concurrent runs kept going by the scaling section
 * @param scaleConcurrency {@code worker.concurrency} of each worker JVM of the scaling section: few
 *     enough slots that four JVMs of 10 ms tasks stay under the engine's ceiling, so that the
 *     section measures what the workers add
 * @param throughputLevels runs in flight at each level of the engine throughput section
 * @param hopRuns 20-task chain runs, one at a time
 * @param hopLoadLevels background loads, as fractions of the measured maximum no-op tasks/s, under
 *     which the hop is measured again
 * @param hopLoadRuns chain runs measured under each background load
 * @param workerProcesses worker JVM counts of the scaling section
 * @param scaleWarmUp load before measuring each worker-process count: long enough for the JIT of
 *     four fresh worker JVMs sharing the cores
 * @param scaleSteady load measured at each worker-process count
 * @param parkedRuns in-flight runs held for the state-size section
 * @param fanOutChildren children of the fan-out section's forEach
 * @param recoveredRuns runs finished before the recovery section rebuilds the coordinator's state
 * @param trainEpochs epochs of each training run of the deep-learning section
 * @param trainRepeats training runs each way (direct, Weft), alternating
 * @param inferWarmUp inference requests before measuring, per batch size and side
 * @param inferWarmUpChunks further chunks of half as many requests a warm-up runs at most while the
 *     JIT still compiles ({@link InferLoad#warmUp})
 * @param inferRequests inference requests measured, per batch size and side
 * @param inferRounds rounds of each inference comparison, the direct call and each protocol in
 *     turn; the round of the median ratio is reported
 * @param observabilityCycles cycles of the observability section (off, metrics, both, and back),
 *     after a warm-up round when more than one
 */
public record Plan(
    Duration rawProduce,
    int rawLatencySamples,
    Duration rawLatencyPause,
    int rawTransactions,
    Duration warmUp,
    Duration steady,
    int workers,
    int workerConcurrency,
    int runsInFlight,
    int scaleConcurrency,
    List<Integer> throughputLevels,
    int hopRuns,
    List<Double> hopLoadLevels,
    int hopLoadRuns,
    List<Integer> workerProcesses,
    Duration scaleWarmUp,
    Duration scaleSteady,
    int parkedRuns,
    int fanOutChildren,
    int recoveredRuns,
    int trainEpochs,
    int trainRepeats,
    int inferWarmUp,
    int inferWarmUpChunks,
    int inferRequests,
    int inferRounds,
    int observabilityCycles) {

  /** Seconds for everything: every section once, for CI. */
  public static Plan smoke() {
    return new Plan(
        Duration.ofSeconds(1),
        100,
        Duration.ofMillis(5),
        20,
        Duration.ofMillis(500),
        Duration.ofSeconds(2),
        1, // one worker: a second's rebalance would take most of each section's seconds
        12,
        32,
        4,
        List.of(32),
        1,
        List.of(0.5),
        1,
        List.of(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        500,
        200,
        200,
        1,
        1,
        20,
        0, // a run this short never sees the JIT settle
        50,
        1,
        1);
  }

  /** The figures for the record: steady states of 30 s and more, 100,000 parked runs. */
  public static Plan full() {
    return new Plan(
        Duration.ofSeconds(10),
        2000,
        Duration.ofMillis(5),
        500,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        2,
        12,
        128,
        4,
        List.of(64, 256, 1024),
        30,
        List.of(0.1, 0.5, 0.9),
        10,
        List.of(1, 2, 4),
        Duration.ofSeconds(15),
        Duration.ofSeconds(20),
        100_000,
        10_000,
        10_000,
        5,
        5,
        3000,
        10,
        2000,
        3,
        2);
  }
}

package io.weft.benchmarks;

import io.weft.workers.api.LocalArtifactStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Section 5, the deep-learning overhead: the same MLP training called directly and as a Weft {@code
 * train} task ({@link TrainingComparison}; median wall times, ratio Weft ÷ direct, goal &lt;=
 * 1.03), the inference service against a direct DJL {@code Predictor} per protocol at batch 1 and
 * 32 with 1 and 4 client threads ({@link InferenceComparison}; throughput ratio, goals in {@link
 * #goal}, p50 and p99 of both), and dynamic batching on against off. Inference serves the model the
 * last Weft training stored.
 */
final class DeepLearningOverhead implements Section {

  static final String NAME = "deep learning";
  static final String TRAINING = "training wall time, Weft ÷ direct";
  static final String THROUGHPUT = "v2 infer throughput, Weft ÷ direct Predictor, ";
  static final String P99 = "v2 infer p99, Weft vs direct Predictor, ";
  static final String BATCHING = "dynamic batching, on ÷ off, ";
  static final String FLOOR = "round trips without a model ÷ direct Predictor batch-1 rows, ";

  /** The batch sizes and client thread counts of the inference comparison. */
  static final List<Integer> BATCHES = List.of(1, 32);

  static final List<Integer> THREADS = List.of(1, 4);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    MnistArtifacts data =
        MnistArtifacts.store(new LocalArtifactStore(context.installation().artifactDir()));
    TrainingComparison.Result training = new TrainingComparison().run(context, data);
    reportTraining(context, training);
    // the inference comparison measures the service beside the direct call, not the engine's
    // idle coordinator polling beside them: it is stopped meanwhile (the broker and the registry,
    // which the service reads, stay)
    context.installation().stopCoordinator();
    InferenceComparison.Result inference;
    try {
      inference =
          new InferenceComparison()
              .run(context, data, training.model(), training.properties(), BATCHES, THREADS);
    } finally {
      context.installation().startCoordinator();
    }
    inference.comparisons().forEach(c -> reportInference(context, c));
    inference.floors().forEach(f -> reportFloor(context, f, inference.comparisons()));
    inference.batching().forEach(b -> reportBatching(context, b));
  }

  /** What a comparison is called: protocol, batch, threads. */
  static String label(String protocol, int batch, int threads) {
    return protocol + ", batch " + batch + ", " + threads + (threads == 1 ? " thread" : " threads");
  }

  /**
   * The goal of a protocol at a batch size and thread count: the binary ones at least 0.8x the
   * direct Predictor at batch 32 and 0.5x at batch 1 with 4 threads; JSON, the compatible path, and
   * batch 1 on one thread, where a network round trip is most of the time, none.
   */
  static Goal goal(String protocol, int batch, int threads) {
    if (protocol.equals("JSON")) {
      return null;
    }
    if (batch >= 32) {
      return Goal.ratioAtLeast(0.8);
    }
    return batch == 1 && threads >= 4 ? Goal.ratioAtLeast(0.5) : null;
  }

  private static void reportTraining(BenchContext context, TrainingComparison.Result r) {
    double weft = median(r.weftMillis());
    double direct = median(r.directMillis());
    String note =
        String.format(
            "MLP 784-256-128-10 on %d digits, %d epoch(s), batch 32, Adam, 1 thread; median of %d"
                + " alternating runs each way (Weft %s ms, direct %s ms), after a warm-up training;"
                + " Weft: the task's durationMs; both read the datasets from the artifact store;"
                + " validation accuracy Weft %.3f, direct %.3f",
            r.trainRows(),
            context.plan().trainEpochs(),
            r.weftMillis().size(),
            r.weftMillis(),
            r.directMillis(),
            r.weftAccuracy(),
            r.directAccuracy());
    context
        .report()
        .add(
            Measure.against(NAME, TRAINING, weft, "ms", direct, "direct ms", Goal.ratioAtMost(1.03))
                .withNote(note));
  }

  private static void reportInference(BenchContext context, InferenceComparison.Comparison c) {
    String label = label(c.protocol(), c.batch(), c.threads());
    String note =
        String.format(
            "%d client thread(s), %d requests of %d row(s) each way after at least %d warm-up"
                + " requests (more while the JIT still compiled), the round of the median ratio of"
                + " %d (direct and Weft in turn);"
                + " p50 Weft %s ms, direct %s ms; p99 Weft %s ms, direct %s ms; the server's own"
                + " time per request (parse, forward pass, answer) %s ms on average. CPU a"
                + " request: the service's threads %s us, the clients %s us, the JVM's own (GC,"
                + " JIT) %s us, the rest of the harness (broker, registry) %s us;"
                + " the direct call %s us (its JVM's own %s us), the rest of the harness then %s"
                + " us",
            c.threads(),
            c.weft().requests(),
            c.batch(),
            context.plan().inferWarmUp(),
            context.plan().inferRounds(),
            Measure.format(c.weft().p50Millis()),
            Measure.format(c.direct().p50Millis()),
            Measure.format(c.weft().p99Millis()),
            Measure.format(c.direct().p99Millis()),
            Measure.format(c.serverMillis()),
            Measure.format(c.weftCpu().serverMicros()),
            Measure.format(c.weftCpu().clientsMicros()),
            Measure.format(c.weftCpu().jvmMicros()),
            Measure.format(c.weftCpu().otherMicros()),
            Measure.format(c.directCpu().clientsMicros()),
            Measure.format(c.directCpu().jvmMicros()),
            Measure.format(c.directCpu().otherMicros()));
    if (c.carried() != null) {
      note +=
          String.format(
              ". The same requests for a model that is not served (read whole, then refused): %s"
                  + " rows/s, p50 %s ms; a service that added nothing to carrying them but the"
                  + " forward pass would answer %s rows/s, %.2fx the direct call: the most this"
                  + " protocol allows here",
              Measure.format(c.carried().rowsPerSecond()),
              Measure.format(c.carried().p50Millis()),
              Measure.format(c.boundRowsPerSecond()),
              c.boundRowsPerSecond() / c.direct().rowsPerSecond());
    }
    context
        .report()
        .add(
            Measure.against(
                    NAME,
                    THROUGHPUT + label,
                    c.weft().rowsPerSecond(),
                    "rows/s",
                    c.direct().rowsPerSecond(),
                    "direct rows/s",
                    goal(c.protocol(), c.batch(), c.threads()))
                .withNote(note));
    context
        .report()
        .add(
            Measure.against(
                NAME,
                P99 + label,
                c.weft().p99Millis(),
                "ms",
                c.direct().p99Millis(),
                "direct p99 ms",
                null));
  }

  /** What a batching comparison is called. */
  static String batchingLabel(String model) {
    return InferenceComparison.BATCH_CLIENTS + " batch-1 clients, " + model;
  }

  /** What a floor is called. */
  static String floorLabel(String protocol, int threads) {
    return protocol + ", " + threads + (threads == 1 ? " thread" : " threads");
  }

  private static void reportFloor(
      BenchContext context,
      InferenceComparison.Floor f,
      List<InferenceComparison.Comparison> comparisons) {
    double direct =
        comparisons.stream()
            .filter(c -> c.batch() == 1 && c.threads() == f.threads())
            .findFirst()
            .map(c -> c.direct().rowsPerSecond())
            .orElse(Double.NaN);
    String note =
        String.format(
            "%s, %d client thread(s), %d calls after %d warm-up calls, the same clients as the"
                + " infer calls; p50 %s ms, p99 %s ms. The most calls per second the protocol"
                + " carries here with no model: the ceiling of batch-1 inference through it",
            f.protocol().equals("HTTP") ? "GET /v2/health/ready" : "ServerReady",
            f.threads(),
            f.timing().requests(),
            context.plan().inferWarmUp(),
            Measure.format(f.timing().p50Millis()),
            Measure.format(f.timing().p99Millis()));
    context
        .report()
        .add(
            Measure.against(
                    NAME,
                    FLOOR + floorLabel(f.protocol(), f.threads()),
                    f.timing().rowsPerSecond(),
                    "calls/s",
                    direct,
                    "direct rows/s",
                    null)
                .withNote(note));
  }

  private static void reportBatching(BenchContext context, InferenceComparison.Batched b) {
    double forwardGain = b.directBatched().rowsPerSecond() / b.directSingle().rowsPerSecond();
    String note =
        String.format(
            "model %s; %d client threads sending one row each over %s, %d requests each way;"
                + " batching on: up to %d rows per forward pass, %d us queue delay, %d passes at"
                + " a time; p50 off %s ms, on %s ms; p99 off %s ms, on %s ms. The forward pass"
                + " alone (direct Predictor, %d threads): %s rows/s one row at a time, %s rows/s"
                + " in batches of %d, %.2fx: the most that merging requests can give. The same"
                + " requests for a model that is not served (read whole, then refused; the same %d"
                + " clients): %s rows/s; a server that added nothing to carrying them but the"
                + " batched forward pass would answer"
                + " %s rows/s, %.2fx the service without batching. CPU a request, off / on:"
                + " the service's threads %s / %s us, the clients %s / %s us, the JVM's own (GC,"
                + " JIT) %s / %s us, the rest of the harness (broker, registry) %s /"
                + " %s us",
            b.model(),
            b.clients(),
            b.protocol(),
            b.on().requests(),
            b.maxBatch(),
            InferenceComparison.BATCH_DELAY_US,
            InferenceComparison.BATCH_CONCURRENCY,
            Measure.format(b.off().p50Millis()),
            Measure.format(b.on().p50Millis()),
            Measure.format(b.off().p99Millis()),
            Measure.format(b.on().p99Millis()),
            InferenceComparison.BATCH_CONCURRENCY,
            Measure.format(b.directSingle().rowsPerSecond()),
            Measure.format(b.directBatched().rowsPerSecond()),
            b.maxBatch(),
            forwardGain,
            b.clients(),
            Measure.format(b.floor().rowsPerSecond()),
            Measure.format(b.boundRowsPerSecond()),
            b.boundRowsPerSecond() / b.off().rowsPerSecond(),
            Measure.format(b.offCpu().serverMicros()),
            Measure.format(b.onCpu().serverMicros()),
            Measure.format(b.offCpu().clientsMicros()),
            Measure.format(b.onCpu().clientsMicros()),
            Measure.format(b.offCpu().jvmMicros()),
            Measure.format(b.onCpu().jvmMicros()),
            Measure.format(b.offCpu().otherMicros()),
            Measure.format(b.onCpu().otherMicros()));
    context
        .report()
        .add(
            Measure.against(
                    NAME,
                    BATCHING + batchingLabel(b.model()),
                    b.on().rowsPerSecond(),
                    "rows/s",
                    b.off().rowsPerSecond(),
                    "rows/s without",
                    b.model().equals(InferenceComparison.CNN) ? Goal.ratioAtLeast(3) : null)
                .withNote(note));
  }

  static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}

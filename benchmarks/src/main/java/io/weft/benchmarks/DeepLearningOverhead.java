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
    InferenceComparison.Result inference =
        new InferenceComparison()
            .run(context, data, training.model(), training.properties(), BATCHES, THREADS);
    inference.comparisons().forEach(c -> reportInference(context, c));
    reportBatching(context, inference.batching());
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
            "%d client thread(s), %d requests of %d row(s) each way after %d warm-up requests;"
                + " p50 Weft %s ms, direct %s ms; p99 Weft %s ms, direct %s ms",
            c.threads(),
            c.weft().requests(),
            c.batch(),
            context.plan().inferWarmUp(),
            Measure.format(c.weft().p50Millis()),
            Measure.format(c.direct().p50Millis()),
            Measure.format(c.weft().p99Millis()),
            Measure.format(c.direct().p99Millis()));
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

  private static void reportBatching(BenchContext context, InferenceComparison.Batched b) {
    String note =
        String.format(
            "%d client threads sending one row each over %s, %d requests each way; batching on:"
                + " up to %d rows per forward pass, 2 ms queue delay, one pass at a time; p50 off %s"
                + " ms, on %s ms; p99 off %s ms, on %s ms",
            b.clients(),
            b.protocol(),
            b.on().requests(),
            b.maxBatch(),
            Measure.format(b.off().p50Millis()),
            Measure.format(b.on().p50Millis()),
            Measure.format(b.off().p99Millis()),
            Measure.format(b.on().p99Millis()));
    context
        .report()
        .add(
            Measure.against(
                    NAME,
                    BATCHING + b.clients() + " batch-1 clients",
                    b.on().rowsPerSecond(),
                    "rows/s",
                    b.off().rowsPerSecond(),
                    "rows/s without",
                    Goal.ratioAtLeast(3))
                .withNote(note));
  }

  static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}

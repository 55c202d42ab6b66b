package io.weft.benchmarks;

import io.weft.workers.api.LocalArtifactStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Section 5, the deep-learning overhead: the same MLP training called directly and as a Weft {@code
 * train} task ({@link TrainingComparison}; median wall times, ratio Weft ÷ direct, goal &lt;=
 * 1.03), and the inference service's v2 HTTP infer against a direct DJL {@code Predictor} at batch
 * 1 and 32 ({@link InferenceComparison}; throughput ratio, goal &gt;= 0.8, and p99 of both).
 * Inference serves the model the last Weft training stored.
 */
final class DeepLearningOverhead implements Section {

  static final String NAME = "deep learning";
  static final String TRAINING = "training wall time, Weft ÷ direct";
  static final String THROUGHPUT = "v2 infer throughput, Weft ÷ direct Predictor, batch ";
  static final String P99 = "v2 infer p99, Weft vs direct Predictor, batch ";

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
    for (InferenceComparison.Comparison c :
        new InferenceComparison()
            .run(context, data, training.model(), training.properties(), 1, 32)) {
      reportInference(context, c);
    }
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
    String note =
        String.format(
            "one client thread, %d requests of %d row(s) each way after %d warm-up requests;"
                + " direct p99 %s ms",
            c.weft().requests(),
            c.batch(),
            context.plan().inferWarmUp(),
            Measure.format(c.direct().p99Millis()));
    context
        .report()
        .add(
            Measure.against(
                    NAME,
                    THROUGHPUT + c.batch(),
                    c.weft().rowsPerSecond(),
                    "rows/s",
                    c.direct().rowsPerSecond(),
                    "direct rows/s",
                    Goal.ratioAtLeast(0.8))
                .withNote(note));
    context
        .report()
        .add(
            Measure.against(
                NAME,
                P99 + c.batch(),
                c.weft().p99Millis(),
                "ms",
                c.direct().p99Millis(),
                "direct p99 ms",
                null));
  }

  static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}

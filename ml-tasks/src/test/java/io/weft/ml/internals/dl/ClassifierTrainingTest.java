package io.weft.ml.internals.dl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.data.Splits;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Real training on DJL's PyTorch engine, offline, with natives from Maven Central. */
class ClassifierTrainingTest {

  /** Two classes told apart by the sign of the sum of the features. */
  static LabeledData separable(int n, int width, long seed) {
    Random random = new Random(seed);
    float[] features = new float[n * width];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      float sum = 0;
      for (int f = 0; f < width; f++) {
        float v = (float) random.nextGaussian();
        features[i * width + f] = v;
        sum += v;
      }
      labels[i] = sum > 0 ? 1 : 0;
    }
    return new LabeledData(features, labels, width, 2);
  }

  /** Square noisy images, brighter on the left half for class 1 and on the right for class 0. */
  static LabeledData halves(int n, int side, long seed) {
    Random random = new Random(seed);
    int width = side * side;
    float[] features = new float[n * width];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(2);
      for (int p = 0; p < width; p++) {
        boolean left = p % side < side / 2;
        float bright = left == (labels[i] == 1) ? 0.5f : 0f;
        features[i * width + p] = bright + (float) random.nextGaussian() * 0.5f;
      }
    }
    return new LabeledData(features, labels, width, 2);
  }

  private static ClassifierTraining.Settings settings(String architecture, int width, int epochs) {
    return new ClassifierTraining.Settings(
        new ModelSpec(architecture, new int[] {16}, width, 2), epochs, 32, 0.01f, "adam", 42);
  }

  @Test
  void shouldLearnASeparableProblemWithAnMlp() {
    // given
    Splits.Split split = Splits.shuffleAndSplit(separable(1200, 8, 3), 3, 0.2, 0);
    List<Integer> seen = new ArrayList<>();

    // when
    ClassifierTraining.Result result =
        ClassifierTraining.train(
            split.train(),
            split.validation(),
            settings("mlp", 8, 5),
            ClassifierTraining.Start.fresh(),
            (metrics, parameters) -> seen.add(metrics.epoch()));

    // then
    assertThat(seen).containsExactly(1, 2, 3, 4, 5);
    assertThat(result.last().validationAccuracy()).isGreaterThan(0.9);
    assertThat(result.last().loss()).isLessThan(result.epochs().get(0).loss());
    assertThat(result.last().samplesPerSecond()).isPositive();
  }

  @Test
  void shouldLearnWithTheConvolutionalNetwork() {
    Splits.Split split = Splits.shuffleAndSplit(halves(600, 12, 5), 5, 0.2, 0);

    ClassifierTraining.Result result =
        ClassifierTraining.train(
            split.train(),
            split.validation(),
            settings("cnn", 144, 4),
            ClassifierTraining.Start.fresh(),
            (metrics, parameters) -> true);

    assertThat(result.last().validationAccuracy()).isGreaterThan(0.9);
  }

  @Test
  void shouldResumeAfterTheSavedEpochWithTheSavedParameters() {
    // given two epochs trained and their parameters saved
    Splits.Split split = Splits.shuffleAndSplit(separable(1200, 8, 3), 3, 0.2, 0);
    byte[][] afterSecond = new byte[1][];
    ClassifierTraining.train(
        split.train(),
        split.validation(),
        settings("mlp", 8, 5),
        ClassifierTraining.Start.fresh(),
        (metrics, parameters) -> {
          afterSecond[0] = parameters;
          return metrics.epoch() < 2;
        });
    double untrainedLoss =
        ClassifierTraining.train(
                split.train(),
                null,
                settings("mlp", 8, 1),
                ClassifierTraining.Start.fresh(),
                (m, p) -> true)
            .last()
            .loss();

    // when
    ClassifierTraining.Result resumed =
        ClassifierTraining.train(
            split.train(),
            split.validation(),
            settings("mlp", 8, 5),
            new ClassifierTraining.Start(2, afterSecond[0]),
            (metrics, parameters) -> true);

    // then it trains epochs 3 to 5 only, starting from trained parameters
    assertThat(resumed.epochs()).extracting(EpochMetrics::epoch).containsExactly(3, 4, 5);
    assertThat(resumed.epochs().get(0).loss()).isLessThan(untrainedLoss);
  }

  @Test
  void shouldTrainSeveralModelsAtOnceInOneProcess() throws Exception {
    Splits.Split split = Splits.shuffleAndSplit(separable(800, 8, 3), 3, 0.2, 0);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<ClassifierTraining.Result>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(
            pool.submit(
                () ->
                    ClassifierTraining.train(
                        split.train(),
                        split.validation(),
                        settings("mlp", 8, 3),
                        ClassifierTraining.Start.fresh(),
                        (metrics, parameters) -> true)));
      }
      for (java.util.concurrent.Future<ClassifierTraining.Result> run : runs) {
        assertThat(run.get(2, java.util.concurrent.TimeUnit.MINUTES).last().validationAccuracy())
            .isGreaterThan(0.85);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldRefuseAnUnknownOptimizer() {
    assertThatThrownBy(
            () ->
                new ClassifierTraining.Settings(
                    new ModelSpec("mlp", new int[0], 4, 2), 1, 1, 0.1f, "rmsprop", 1))
        .hasMessageContaining("optimizer 'rmsprop' is not one of adam, sgd");
  }
}

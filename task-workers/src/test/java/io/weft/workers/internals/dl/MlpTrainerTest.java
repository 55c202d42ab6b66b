package io.weft.workers.internals.dl;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.workers.internals.data.LabeledData;
import io.weft.workers.internals.data.Splits;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Real training on DJL's PyTorch engine, offline, with natives from Maven Central. */
class MlpTrainerTest {

  /** Two classes told apart by the sign of the sum of 8 features. */
  private static LabeledData separable(int n, long seed) {
    Random random = new Random(seed);
    float[] features = new float[n * 8];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      float sum = 0;
      for (int f = 0; f < 8; f++) {
        float v = (float) random.nextGaussian();
        features[i * 8 + f] = v;
        sum += v;
      }
      labels[i] = sum > 0 ? 1 : 0;
    }
    return new LabeledData(features, labels, 8, 2);
  }

  @Test
  void shouldLearnASeparableProblem() {
    // given
    Splits.Split split = Splits.shuffleAndSplit(separable(1200, 3), 3, 0.2, 0);

    // when
    MlpTrainer.Result result =
        MlpTrainer.train(
            split.train(),
            split.validation(),
            new MlpTrainer.Settings(new int[] {16}, 5, 32, 0.01f, 42));

    // then
    assertThat(result.validationAccuracy()).isGreaterThan(0.9f);
    assertThat(result.loss()).isLessThan(0.4f);
  }
}

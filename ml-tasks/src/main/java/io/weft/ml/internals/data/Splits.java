package io.weft.ml.internals.data;

import java.util.Random;

/** Shuffles examples with a seed and splits them into train, validation and test sets by ratios. */
public final class Splits {

  /** The three sets. */
  public record Split(LabeledData train, LabeledData validation, LabeledData test) {}

  private Splits() {}

  /**
   * @param validationRatio share of the examples for validation, in [0, 1)
   * @param testRatio share for test, in [0, 1); the rest is for training
   */
  public static Split shuffleAndSplit(
      LabeledData data, long seed, double validationRatio, double testRatio) {
    if (validationRatio < 0 || testRatio < 0 || validationRatio + testRatio >= 1) {
      throw new IllegalArgumentException(
          "ratios must be non-negative and leave examples for training: validation "
              + validationRatio
              + ", test "
              + testRatio);
    }
    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int test = (int) Math.round(n * testRatio);
    int validation = (int) Math.round(n * validationRatio);
    int train = n - test - validation;
    return new Split(
        data.select(java.util.Arrays.copyOfRange(order, 0, train)),
        data.select(java.util.Arrays.copyOfRange(order, train, train + validation)),
        data.select(java.util.Arrays.copyOfRange(order, train + validation, n)));
  }
}

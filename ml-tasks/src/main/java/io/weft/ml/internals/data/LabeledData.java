package io.weft.ml.internals.data;

import java.util.Arrays;

/**
 * Examples with a class label each: {@code features} holds {@code size()} rows of {@code width}
 * values, row after row.
 */
public record LabeledData(float[] features, int[] labels, int width, int classes) {

  public LabeledData {
    if (features.length != labels.length * width) {
      throw new IllegalArgumentException(
          labels.length
              + " labels need "
              + labels.length * width
              + " features, got "
              + features.length);
    }
  }

  public int size() {
    return labels.length;
  }

  /** Row {@code i}'s features (a copy). */
  public float[] row(int i) {
    return Arrays.copyOfRange(features, i * width, (i + 1) * width);
  }

  /** How many examples each class has. */
  public int[] histogram() {
    int[] counts = new int[classes];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** The examples at {@code indices}, in that order. */
  public LabeledData select(int[] indices) {
    float[] f = new float[indices.length * width];
    int[] l = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(features, indices[i] * width, f, i * width, width);
      l[i] = labels[indices[i]];
    }
    return new LabeledData(f, l, width, classes);
  }

  /** Features scaled into [0, 1]: divided by 255 when they look like bytes, else by their max. */
  public LabeledData normalized() {
    float max = 0;
    for (float v : features) {
      max = Math.max(max, v);
    }
    if (max <= 1f) {
      return this;
    }
    float scale = max <= 255f ? 255f : max;
    float[] f = new float[features.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = features[i] / scale;
    }
    return new LabeledData(f, labels, width, classes);
  }
}

package io.weft.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample. */
final class Percentiles {

  private final double[] sorted;

  Percentiles(Collection<? extends Number> sample) {
    if (sample.isEmpty()) {
      throw new IllegalArgumentException("No samples to take percentiles of");
    }
    this.sorted = sample.stream().mapToDouble(Number::doubleValue).sorted().toArray();
  }

  /** The {@code p}-th percentile, 0 &lt; p &lt;= 100. */
  double at(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  int count() {
    return sorted.length;
  }

  double mean() {
    return Arrays.stream(sorted).average().orElse(Double.NaN);
  }
}

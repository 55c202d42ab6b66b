package io.weft.benchmarks;

import java.util.Locale;

/**
 * What a measure should reach: at least or at most a threshold.
 *
 * @param atLeast true for "value &gt;= threshold", false for "value &lt;= threshold"
 * @param threshold the bound, in the unit of the value the goal applies to
 * @param appliesToRatio true if the bound applies to the ratio against the baseline, not the value
 */
public record Goal(boolean atLeast, double threshold, boolean appliesToRatio) {

  /** value &gt;= threshold. */
  public static Goal atLeast(double threshold) {
    return new Goal(true, threshold, false);
  }

  /** value &lt;= threshold. */
  public static Goal atMost(double threshold) {
    return new Goal(false, threshold, false);
  }

  /** ratio &gt;= threshold. */
  public static Goal ratioAtLeast(double threshold) {
    return new Goal(true, threshold, true);
  }

  /** ratio &lt;= threshold. */
  public static Goal ratioAtMost(double threshold) {
    return new Goal(false, threshold, true);
  }

  /** Whether the value (or the ratio) meets the goal. */
  public boolean isMet(double value, Double ratio) {
    double subject = appliesToRatio ? (ratio == null ? Double.NaN : ratio) : value;
    if (Double.isNaN(subject)) {
      return false;
    }
    return atLeast ? subject >= threshold : subject <= threshold;
  }

  /** For people: e.g. {@code >= 5000} or {@code ratio <= 1.03}. */
  public String describe(String unit) {
    String bound = (atLeast ? ">= " : "<= ") + Measure.format(threshold);
    return appliesToRatio ? "ratio " + bound : bound + (unit.isEmpty() ? "" : " " + unit);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s", atLeast ? ">=" : "<=", threshold);
  }
}

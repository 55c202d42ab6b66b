package io.weft.benchmarks;

import java.util.Locale;

/**
 * One figure of a benchmark run.
 *
 * @param section the section that measured it
 * @param name what was measured
 * @param value the figure, or NaN if the section did not run
 * @param unit e.g. {@code tasks/s}, {@code ms}, {@code bytes}
 * @param baseline what raw Kafka (or the direct call) reached in the same run, or null if none
 * @param baselineName what the baseline is
 * @param goal the goal, or null if the figure is informational
 * @param note why it did not run, or a remark; null for none
 */
public record Measure(
    String section,
    String name,
    double value,
    String unit,
    Double baseline,
    String baselineName,
    Goal goal,
    String note) {

  /** A figure without a baseline. */
  public static Measure of(String section, String name, double value, String unit, Goal goal) {
    return new Measure(section, name, value, unit, null, null, goal, null);
  }

  /** A figure with the baseline it is compared to. */
  public static Measure against(
      String section,
      String name,
      double value,
      String unit,
      double baseline,
      String baselineName,
      Goal goal) {
    return new Measure(section, name, value, unit, baseline, baselineName, goal, null);
  }

  /** A figure that was not measured, and why. */
  public static Measure notRun(String section, String name, Goal goal, String reason) {
    return new Measure(section, name, Double.NaN, "", null, null, goal, reason);
  }

  public Measure withNote(String remark) {
    return new Measure(section, name, value, unit, baseline, baselineName, goal, remark);
  }

  public boolean wasRun() {
    return !Double.isNaN(value);
  }

  /** value ÷ baseline, or null without a baseline. */
  public Double ratio() {
    if (baseline == null || baseline == 0 || !wasRun()) {
      return null;
    }
    return value / baseline;
  }

  /** PASS, MISS, "not run" or "-" (no goal). */
  public String verdict() {
    if (!wasRun()) {
      return "not run";
    }
    if (goal == null) {
      return "-";
    }
    return goal.isMet(value, ratio()) ? "PASS" : "MISS";
  }

  /** A number for people: integers without decimals, small numbers with up to three. */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Math.abs(v) >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (Math.abs(v) >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}

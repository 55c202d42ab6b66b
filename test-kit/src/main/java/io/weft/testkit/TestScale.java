package io.weft.testkit;

/**
 * The size of the long fault scenarios: short in the README's test command, full when the system
 * property {@code weft.it.full} is {@code true} ({@code ./bench --faults} sets it).
 */
public final class TestScale {

  /** The system property that asks for the full scenarios. */
  public static final String FULL_PROPERTY = "weft.it.full";

  private TestScale() {}

  /** Whether the full scenarios were asked for. */
  public static boolean full() {
    return Boolean.getBoolean(FULL_PROPERTY);
  }

  /** {@code shortValue} in the test command, {@code fullValue} in the full scenarios. */
  public static int pick(int shortValue, int fullValue) {
    return full() ? fullValue : shortValue;
  }
}

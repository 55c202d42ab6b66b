package io.weft.core.api;

/** What a task's final failure does to its run. */
public enum OnFailure {
  /** The run ends FAILED (the default). */
  FAIL_RUN,
  /** The run goes on with the tasks that do not depend on the failed one. */
  CONTINUE;

  /** The YAML spelling: {@code fail-run} or {@code continue}. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}

package io.weft.workers.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.internals.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link TaskHandler} returns: named outputs (small JSON values or artifact references) and
 * numeric metrics. Immutable; every {@code with...} method returns a new value:
 *
 * <pre>{@code
 * return TaskOutputs.empty()
 *     .with("accuracy", 0.93)
 *     .with("classes", List.of("cat", "dog"))
 *     .withArtifact("model", ref)
 *     .withMetric("loss", 0.21);
 * }</pre>
 *
 * <p>Output names match {@code [A-Za-z0-9_-]+}, so that templates such as {@code
 * ${tasks.train.outputs.model}} can refer to them; a name given twice keeps the last value. Outputs
 * become {@code TaskResult.outputs} ({@code TaskOutput.json} or {@code TaskOutput.artifact}),
 * metrics become {@code TaskResult.metrics}.
 */
public final class TaskOutputs {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final TaskOutputs EMPTY = new TaskOutputs(Map.of(), Map.of());

  private final Map<String, OutputValue> outputs;
  private final Map<String, Double> metrics;

  private TaskOutputs(Map<String, OutputValue> outputs, Map<String, Double> metrics) {
    this.outputs = outputs;
    this.metrics = metrics;
  }

  /** No outputs and no metrics. */
  public static TaskOutputs empty() {
    return EMPTY;
  }

  /**
   * With one more output. The value is a {@link JsonNode}, an {@link ArtifactRef}, an {@link
   * OutputValue}, {@code null} (JSON null), or any plain Java value Jackson can write as JSON
   * (numbers, strings, booleans, lists, maps, records), converted now.
   *
   * @throws IllegalArgumentException if the name is not valid or the value cannot be written as
   *     JSON
   */
  public TaskOutputs with(String name, Object value) {
    return withOutput(checkName(name), toOutput(name, value));
  }

  /** With one more output that is an artifact reference. */
  public TaskOutputs withArtifact(String name, ArtifactRef ref) {
    return withOutput(checkName(name), OutputValue.ofArtifact(ref));
  }

  /**
   * With one more metric.
   *
   * @throws IllegalArgumentException if the name is blank or the value is NaN or infinite
   */
  public TaskOutputs withMetric(String name, double value) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A metric needs a name, got '" + name + "'");
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Metric '" + name + "' is " + value + ", not finite");
    }
    Map<String, Double> copy = new LinkedHashMap<>(metrics);
    copy.put(name, value);
    return new TaskOutputs(outputs, Collections.unmodifiableMap(copy));
  }

  /** With several more metrics. */
  public TaskOutputs withMetrics(Map<String, ? extends Number> more) {
    TaskOutputs result = this;
    for (Map.Entry<String, ? extends Number> e : more.entrySet()) {
      Objects.requireNonNull(e.getValue(), () -> "metric '" + e.getKey() + "' is null");
      result = result.withMetric(e.getKey(), e.getValue().doubleValue());
    }
    return result;
  }

  /** The outputs, by name, in the order they were added. */
  public Map<String, OutputValue> outputs() {
    return outputs;
  }

  /** The metrics, by name, in the order they were added. */
  public Map<String, Double> metrics() {
    return metrics;
  }

  private TaskOutputs withOutput(String name, OutputValue value) {
    Map<String, OutputValue> copy = new LinkedHashMap<>(outputs);
    copy.put(name, value);
    return new TaskOutputs(Collections.unmodifiableMap(copy), metrics);
  }

  private static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Output name '" + name + "' must match [A-Za-z0-9_-]+ (templates refer to it)");
    }
    return name;
  }

  private static OutputValue toOutput(String name, Object value) {
    if (value instanceof OutputValue output) {
      return output;
    }
    if (value instanceof ArtifactRef ref) {
      return OutputValue.ofArtifact(ref);
    }
    if (value == null || value instanceof JsonNode) {
      return OutputValue.ofJson((JsonNode) value);
    }
    try {
      return OutputValue.ofJson(Json.toTree(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Output '" + name + "' (" + value.getClass().getName() + ") cannot be written as JSON",
          e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskOutputs other
        && outputs.equals(other.outputs)
        && metrics.equals(other.metrics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(outputs, metrics);
  }

  @Override
  public String toString() {
    return "TaskOutputs{outputs=" + outputs + ", metrics=" + metrics + "}";
  }
}

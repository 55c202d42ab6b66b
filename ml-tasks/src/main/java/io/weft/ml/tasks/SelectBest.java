package io.weft.ml.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.workers.api.OutputValue;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task type {@code select-best}: the fan-in of a tuning run. Picks, among the children of a {@code
 * forEach} task it depends on, the one with the best value of a named output.
 *
 * <p>Params: {@code from} (id of the {@code forEach} task), {@code metric} (an output of its
 * children that is a number, or a path into one such as {@code metrics.validationAccuracy}), {@code
 * mode} ({@code max} (default) or {@code min}).
 *
 * <p>Outputs: every output of the best child (its {@code model} artifact included), then {@code
 * best} (the child's task id, e.g. {@code train[2]}), {@code index} and {@code value}. Ties go to
 * the lower index. A child without the metric fails the attempt without retry, naming the child.
 */
public final class SelectBest implements TaskHandler {

  public static final String TYPE = "select-best";

  @Override
  public String taskType() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Picks the child of a forEach task with the best value of a metric";
  }

  @Override
  public TaskOutputs execute(TaskContext context) {
    String from = Params.text(context, "from", null);
    String metric = Params.text(context, "metric", null);
    String mode = Params.text(context, "mode", "max");
    if (!mode.equals("max") && !mode.equals("min")) {
      throw new TaskFailedException("param mode: '" + mode + "' is not one of max, min", false);
    }
    List<Map<String, OutputValue>> children = children(context, from);
    int best = -1;
    double bestValue = Double.NaN;
    for (int i = 0; i < children.size(); i++) {
      double value = value(children.get(i), metric, from + "[" + i + "]");
      if (best < 0 || (mode.equals("max") ? value > bestValue : value < bestValue)) {
        best = i;
        bestValue = value;
      }
    }
    TaskOutputs outputs = TaskOutputs.empty();
    for (Map.Entry<String, OutputValue> output : children.get(best).entrySet()) {
      outputs = outputs.with(output.getKey(), output.getValue());
    }
    return outputs
        .with("best", from + "[" + best + "]")
        .with("index", best)
        .with("value", bestValue)
        .withMetric(metric, bestValue);
  }

  private static List<Map<String, OutputValue>> children(TaskContext context, String from) {
    Pattern child = Pattern.compile(Pattern.quote(from) + "\\[(\\d+)]");
    List<Map<String, OutputValue>> children = new ArrayList<>();
    Map<Integer, Map<String, OutputValue>> byIndex = new java.util.TreeMap<>();
    for (Map.Entry<String, Map<String, OutputValue>> upstream : context.upstream().entrySet()) {
      Matcher matcher = child.matcher(upstream.getKey());
      if (matcher.matches()) {
        byIndex.put(Integer.parseInt(matcher.group(1)), upstream.getValue());
      }
    }
    children.addAll(byIndex.values());
    if (children.isEmpty()) {
      throw new TaskFailedException(
          "param from: no children of '"
              + from
              + "' among the upstream tasks "
              + context.upstream().keySet()
              + "; 'from' must name a forEach task this task depends on",
          false);
    }
    return children;
  }

  private static double value(Map<String, OutputValue> outputs, String metric, String childId) {
    String[] path = metric.split("\\.");
    OutputValue output = outputs.get(path[0]);
    JsonNode node = output == null || output.isArtifact() ? null : output.json();
    for (int i = 1; node != null && i < path.length; i++) {
      node = node.get(path[i]);
    }
    if (node == null || !node.isNumber()) {
      throw new TaskFailedException(
          "task "
              + childId
              + " has no number output '"
              + metric
              + "'; its outputs: "
              + outputs.keySet(),
          false);
    }
    return node.asDouble();
  }
}

package io.weft.core.internals.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Bindings} backed by maps. The maps are copied; the JSON values are not.
 *
 * @param params the run's parameters by name
 * @param taskOutputs the outputs of finished tasks, by task id and then by output name
 * @param item the current {@code forEach} item, or null
 */
public record MapBindings(
    Map<String, JsonNode> params, Map<String, Map<String, JsonNode>> taskOutputs, JsonNode item)
    implements Bindings {

  /** Copies the maps; null maps are taken as empty. */
  public MapBindings {
    params = params == null ? Map.of() : Map.copyOf(params);
    taskOutputs = taskOutputs == null ? Map.of() : copyOutputs(taskOutputs);
  }

  /** No params, no task outputs and no item. */
  public static MapBindings empty() {
    return new MapBindings(Map.of(), Map.of(), null);
  }

  /** Only params. */
  public static MapBindings ofParams(Map<String, JsonNode> params) {
    return new MapBindings(params, Map.of(), null);
  }

  /** These bindings with {@code item} as the current {@code forEach} item. */
  public MapBindings withItem(JsonNode item) {
    return new MapBindings(params, taskOutputs, item);
  }

  /** These bindings with the outputs of task {@code taskId} replaced by {@code outputs}. */
  public MapBindings withTaskOutputs(String taskId, Map<String, JsonNode> outputs) {
    Map<String, Map<String, JsonNode>> all = new HashMap<>(taskOutputs);
    all.put(taskId, outputs);
    return new MapBindings(params, all, item);
  }

  @Override
  public JsonNode param(String name) {
    return params.get(name);
  }

  @Override
  public JsonNode taskOutput(String taskId, String output) {
    Map<String, JsonNode> outputs = taskOutputs.get(taskId);
    return outputs == null ? null : outputs.get(output);
  }

  private static Map<String, Map<String, JsonNode>> copyOutputs(
      Map<String, Map<String, JsonNode>> taskOutputs) {
    Map<String, Map<String, JsonNode>> copy = new HashMap<>();
    taskOutputs.forEach((task, outputs) -> copy.put(task, Map.copyOf(outputs)));
    return Map.copyOf(copy);
  }
}

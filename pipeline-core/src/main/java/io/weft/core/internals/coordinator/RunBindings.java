package io.weft.core.internals.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.core.internals.definition.DefinitionCodec;
import io.weft.core.internals.expr.Bindings;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code ${...}} references see in a run: its parameters and its tasks' outputs. Read from the
 * run's state when a reference asks, so that binding costs nothing for what no reference names (a
 * large parameter, the outputs of thousands of forEach children).
 */
public final class RunBindings implements Bindings {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunState state;
  private final JsonNode item;
  private final Map<String, JsonNode> params = new HashMap<>();

  private RunBindings(RunState state, JsonNode item) {
    this.state = state;
    this.item = item;
  }

  /** Bindings of a run, with {@code item} bound (null outside a forEach child). */
  public static RunBindings of(RunState state, JsonNode item) {
    return new RunBindings(state, item);
  }

  @Override
  public JsonNode param(String name) {
    String text = state.getParams().get(name);
    return text == null ? null : params.computeIfAbsent(name, n -> DefinitionCodec.parseJson(text));
  }

  @Override
  public JsonNode taskOutput(String taskId, String output) {
    TaskState task = state.getTasks().get(taskId);
    if (task == null || task.getStatus() != TaskStatus.SUCCEEDED) {
      return null;
    }
    TaskOutput value = task.getOutputs().get(output);
    return value == null ? null : value(value);
  }

  @Override
  public JsonNode item() {
    return item;
  }

  /** An output as a JSON value: its JSON, or an artifact as {uri, sha256, size, mediaType}. */
  public static JsonNode value(TaskOutput output) {
    if (output.getArtifact() != null) {
      ArtifactRef ref = output.getArtifact();
      ObjectNode node = JSON.createObjectNode();
      node.put("uri", ref.getUri());
      node.put("sha256", ref.getSha256());
      node.put("size", ref.getSize());
      node.put("mediaType", ref.getMediaType());
      return node;
    }
    return output.getJson() == null ? JSON.nullNode() : DefinitionCodec.parseJson(output.getJson());
  }
}

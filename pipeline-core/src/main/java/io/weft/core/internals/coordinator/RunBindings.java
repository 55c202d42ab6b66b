package io.weft.core.internals.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.core.internals.definition.DefinitionCodec;
import io.weft.core.internals.expr.MapBindings;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.util.HashMap;
import java.util.Map;

/** What {@code ${...}} references see in a run: its parameters and its tasks' outputs. */
public final class RunBindings {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunBindings() {}

  /** Bindings of a run, with {@code item} bound (null outside a forEach child). */
  public static MapBindings of(RunState state, JsonNode item) {
    Map<String, Map<String, JsonNode>> outputs = new HashMap<>();
    state
        .getTasks()
        .forEach(
            (id, task) -> {
              if (task.getStatus() == TaskStatus.SUCCEEDED) {
                outputs.put(id, values(task));
              }
            });
    return new MapBindings(DefinitionCodec.fromJsonTexts(state.getParams()), outputs, item);
  }

  private static Map<String, JsonNode> values(TaskState task) {
    Map<String, JsonNode> values = new HashMap<>();
    task.getOutputs().forEach((name, output) -> values.put(name, value(output)));
    return values;
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

package io.weft.workers.internals.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.core.api.Resources;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.ArtifactStore;
import io.weft.workers.api.OutputValue;
import io.weft.workers.api.TaskContext;
import java.util.Map;
import java.util.Set;

/**
 * The JSON document an exec task's program reads on stdin (and from {@code $WEFT_INPUT}): the
 * attempt's ids and deadline, its params, its upstream outputs, and a local, verified file for
 * every artifact among them.
 *
 * <pre>{@code
 * {"runId": "...", "taskId": "train", "attempt": 1, "idempotencyKey": "run/train/1",
 *  "type": "py-train", "deadline": "2026-01-01T00:00:00Z", "resources": {"cpu": 2.0},
 *  "params": {"epochs": 5, "data": {"uri": "file:...", "sha256": "...", ...}},
 *  "files": {"data": "/abs/path/of/the/artifact"},
 *  "upstream": {"prepare": {"rows": 800, "data": {"uri": ..., "path": "/abs/path"}}}}
 * }</pre>
 */
public final class ExecInput {

  private static final Set<String> REF_FIELDS = Set.of("uri", "sha256", "size", "mediaType");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ExecInput() {}

  /** The input document of one attempt; artifacts are fetched (and verified) now. */
  public static ObjectNode of(TaskContext context) {
    ArtifactStore store = context.artifacts();
    ObjectNode input = NODES.objectNode();
    input.put("runId", context.runId());
    input.put("taskId", context.taskId());
    input.put("attempt", context.attempt());
    input.put("idempotencyKey", context.idempotencyKey());
    input.put("type", context.type());
    input.put("deadline", context.deadline().toString());
    Resources resources = context.resources();
    if (!resources.isEmpty()) {
      ObjectNode declared = input.putObject("resources");
      if (resources.cpu() != null) {
        declared.put("cpu", resources.cpu());
      }
      if (resources.memory() != null) {
        declared.put("memory", resources.memory());
      }
      if (resources.gpu() != null) {
        declared.put("gpu", resources.gpu());
      }
    }
    if (!context.gpus().isEmpty()) {
      context.gpus().forEach(input.putArray("gpus")::add);
    }
    ObjectNode params = input.putObject("params");
    ObjectNode files = input.putObject("files");
    for (Map.Entry<String, JsonNode> p : context.params().entrySet()) {
      params.set(p.getKey(), p.getValue());
      if (isArtifactRef(p.getValue())) {
        files.put(p.getKey(), store.fetch(toRef(p.getValue())).toAbsolutePath().toString());
      }
    }
    ObjectNode upstream = input.putObject("upstream");
    for (Map.Entry<String, Map<String, OutputValue>> task : context.upstream().entrySet()) {
      ObjectNode outputs = upstream.putObject(task.getKey());
      for (Map.Entry<String, OutputValue> out : task.getValue().entrySet()) {
        OutputValue value = out.getValue();
        if (value.isArtifact()) {
          ArtifactRef ref = value.artifact();
          ObjectNode node = outputs.putObject(out.getKey());
          node.put("uri", ref.getUri());
          node.put("sha256", ref.getSha256());
          node.put("size", ref.getSize());
          node.put("mediaType", ref.getMediaType());
          node.put("path", store.fetch(ref).toAbsolutePath().toString());
        } else {
          outputs.set(out.getKey(), value.json());
        }
      }
    }
    return input;
  }

  /** Whether a param is an artifact reference passed from an upstream output. */
  static boolean isArtifactRef(JsonNode value) {
    if (value == null || !value.isObject() || value.size() != REF_FIELDS.size()) {
      return false;
    }
    for (String field : REF_FIELDS) {
      if (!value.has(field)) {
        return false;
      }
    }
    return value.get("uri").isTextual()
        && value.get("sha256").isTextual()
        && value.get("size").canConvertToLong()
        && value.get("mediaType").isTextual();
  }

  private static ArtifactRef toRef(JsonNode value) {
    return new ArtifactRef(
        value.get("uri").asText(),
        value.get("sha256").asText(),
        value.get("size").asLong(),
        value.get("mediaType").asText());
  }
}

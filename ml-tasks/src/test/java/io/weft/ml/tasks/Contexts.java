package io.weft.ml.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.ArtifactStore;
import io.weft.workers.api.OutputValue;
import io.weft.workers.internals.TaskContextImpl;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Task contexts for calling built-in handlers directly, with a real artifact store. */
final class Contexts {

  static {
    GeneratedClasses.trust();
  }

  static final ObjectMapper JSON = new ObjectMapper();

  final ArtifactStore store;
  final List<TaskProgress> progress = new CopyOnWriteArrayList<>();

  Contexts(ArtifactStore store) {
    this.store = store;
  }

  TaskContextImpl context(String taskId, int attempt, String type, Map<String, ?> params) {
    return context(taskId, attempt, type, params, Map.of());
  }

  TaskContextImpl context(
      String taskId,
      int attempt,
      String type,
      Map<String, ?> params,
      Map<String, Map<String, OutputValue>> upstream) {
    Map<String, JsonNode> json = new HashMap<>();
    params.forEach((k, v) -> json.put(k, JSON.valueToTree(v)));
    TaskRequest request =
        TaskRequest.newBuilder()
            .setRunId("run-1")
            .setTaskId(taskId)
            .setAttempt(attempt)
            .setType(type)
            .setDeadline(Instant.now().plusSeconds(600))
            .setIdempotencyKey("run-1/" + taskId + "/" + attempt)
            .setScheduledAt(Instant.now())
            .build();
    return new TaskContextImpl(request, json, upstream, store, "worker-1", progress::add);
  }

  /** Stores a dataset as {@code prepare-data} would, and returns the reference as a param. */
  Map<String, Object> dataset(String name, LabeledData data) {
    ArtifactRef ref =
        store.put(
            "run-1",
            "prepare",
            1,
            name + ".ndlist",
            new ByteArrayInputStream(DatasetCodec.encode(data)),
            DatasetCodec.MEDIA_TYPE);
    return asParam(ref);
  }

  static Map<String, Object> asParam(ArtifactRef ref) {
    return Map.of(
        "uri", ref.getUri(),
        "sha256", ref.getSha256(),
        "size", ref.getSize(),
        "mediaType", ref.getMediaType());
  }
}

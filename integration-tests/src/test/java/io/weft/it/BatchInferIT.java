package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.api.ModelRegistry;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.ml.internals.dl.ModelCodec;
import io.weft.ml.tasks.BatchInfer;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.internals.TaskContextImpl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** batch-infer finding its model in the real model registry. */
@ExtendWith(WeftStackExtension.class)
class BatchInferIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ModelSpec SPEC = new ModelSpec("mlp", new int[] {8}, 12, 3);

  private ModelRegistry registry;
  private LocalArtifactStore store;
  private Map<String, Object> dataset;

  @BeforeEach
  void setUp(WeftStack stack) {
    String prefix = "batch-infer-it-" + UUID.randomUUID().toString().substring(0, 8);
    registry =
        ModelRegistry.create(
            Map.of(
                "bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "weft.topic.prefix", prefix + "."));
    store =
        new LocalArtifactStore(
            Path.of(System.getProperty("weft.test.dir", "target/weft-test"), prefix));
    ArtifactRef ref =
        put(
            "test.ndlist",
            DatasetCodec.encode(new LabeledData(new float[4 * 12], new int[4], 12, 3)));
    dataset =
        Map.of(
            "uri",
            ref.getUri(),
            "sha256",
            ref.getSha256(),
            "size",
            ref.getSize(),
            "mediaType",
            ref.getMediaType());
  }

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void shouldUseTheProductionVersionUnlessAVersionIsGiven() {
    // given: v1 and v2, v2 in production
    register();
    register();
    registry.promote("digits", 2, null, true);
    BatchInfer handler = new BatchInfer(registry);

    // when
    TaskOutputs production = handler.execute(context(Map.of("name", "digits", "dataset", dataset)));
    TaskOutputs first =
        handler.execute(context(Map.of("name", "digits", "version", 1, "dataset", dataset)));

    // then
    assertThat(production.outputs().get("modelVersion").json().asInt()).isEqualTo(2);
    assertThat(production.outputs().get("count").json().asInt()).isEqualTo(4);
    assertThat(first.outputs().get("modelVersion").json().asInt()).isEqualTo(1);
  }

  @Test
  void shouldFailWithoutRetryForAModelWithoutProductionOrAnUnknownVersion() {
    // given
    register();
    BatchInfer handler = new BatchInfer(registry);

    // then
    assertThatThrownBy(() -> handler.execute(context(Map.of("name", "digits", "dataset", dataset))))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage("model 'digits' has no production version; give param version");
    assertThatThrownBy(
            () ->
                handler.execute(
                    context(Map.of("name", "digits", "version", 9, "dataset", dataset))))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage("model 'digits' has no version 9");
  }

  private void register() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = SPEC.block();
      block.initialize(manager, DataType.FLOAT32, new Shape(1, SPEC.width()));
      ByteArrayOutputStream saved = new ByteArrayOutputStream();
      ModelCodec.save(block, saved);
      ArtifactRef artifact = put("model-" + UUID.randomUUID() + ".params", saved.toByteArray());
      registry.register("digits", artifact, Map.of(), SPEC.toProperties(), null, null);
    }
  }

  private ArtifactRef put(String name, byte[] bytes) {
    return store.put("run-0", "setup", 1, name, new ByteArrayInputStream(bytes), "x/y");
  }

  private TaskContextImpl context(Map<String, Object> params) {
    Map<String, JsonNode> values = new HashMap<>();
    params.forEach((k, v) -> values.put(k, JSON.valueToTree(v)));
    TaskRequest request =
        TaskRequest.newBuilder()
            .setRunId("run-" + UUID.randomUUID())
            .setTaskId("score")
            .setAttempt(1)
            .setType(BatchInfer.TYPE)
            .setDeadline(Instant.now().plusSeconds(60))
            .setIdempotencyKey("score")
            .setScheduledAt(Instant.now())
            .build();
    return new TaskContextImpl(request, values, Map.of(), store, "worker-1", progress -> {});
  }
}

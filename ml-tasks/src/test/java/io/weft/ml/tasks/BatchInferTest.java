package io.weft.ml.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.ml.internals.dl.ModelCodec;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.internals.TaskContextImpl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batch-infer with a real DJL model and dataset, the registry replaced by a lookup. */
class BatchInferTest {

  static {
    GeneratedClasses.trust();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ModelSpec SPEC = new ModelSpec("mlp", new int[] {8}, 12, 3);

  @TempDir Path dir;
  private LocalArtifactStore store;
  private ModelVersion model;
  private long[] expected;
  private LabeledData data;

  @BeforeEach
  void modelAndData() {
    store = new LocalArtifactStore(dir.resolve("artifacts"));
    Random random = new Random(5);
    int n = 300; // more than one batch
    float[] features = new float[n * SPEC.width()];
    for (int i = 0; i < features.length; i++) {
      features[i] = random.nextFloat();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
    }
    data = new LabeledData(features, labels, SPEC.width(), 3);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = SPEC.block();
      block.initialize(manager, DataType.FLOAT32, new Shape(1, SPEC.width()));
      NDArray logits =
          block
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.create(features, new Shape(n, SPEC.width()))),
                  false)
              .singletonOrThrow();
      expected = logits.argMax(1).toLongArray();
      ByteArrayOutputStream saved = new ByteArrayOutputStream();
      ModelCodec.save(block, saved);
      ArtifactRef artifact = put("model.params", saved.toByteArray());
      model =
          ModelVersion.newBuilder()
              .setName("digits")
              .setVersion(2)
              .setArtifact(artifact)
              .setProperties(SPEC.toProperties())
              .setCreatedAt(Instant.now())
              .build();
    }
  }

  @Test
  void shouldPredictEveryExampleAndMeasureAccuracyAgainstTheLabels() throws IOException {
    // given
    ArtifactRef dataset = put("test.ndlist", DatasetCodec.encode(data));

    // when
    TaskOutputs outputs =
        handler()
            .execute(context(Map.of("name", "digits", "dataset", json(dataset), "classes", 3)));

    // then
    assertThat(outputs.outputs().get("count").json().asInt()).isEqualTo(300);
    assertThat(outputs.outputs().get("modelVersion").json().asInt()).isEqualTo(2);
    List<String> lines = read(outputs.outputs().get("predictions").artifact());
    assertThat(lines).hasSize(301);
    assertThat(lines.get(0)).isEqualTo("index,label,predicted");
    int correct = 0;
    for (int i = 0; i < 300; i++) {
      assertThat(lines.get(i + 1)).isEqualTo(i + "," + (i % 3) + "," + expected[i]);
      correct += expected[i] == i % 3 ? 1 : 0;
    }
    assertThat(outputs.outputs().get("accuracy").json().asDouble()).isEqualTo(correct / 300.0);
  }

  @Test
  void shouldLeaveLabelsAndAccuracyOutForADatasetWithoutLabels() throws IOException {
    // given: features only
    byte[] encoded;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      encoded = new NDList(manager.create(data.features(), new Shape(300, SPEC.width()))).encode();
    }
    ArtifactRef dataset = put("unlabelled.ndlist", encoded);

    // when
    TaskOutputs outputs =
        handler().execute(context(Map.of("name", "digits", "dataset", json(dataset))));

    // then
    assertThat(outputs.outputs()).doesNotContainKey("accuracy");
    assertThat(read(outputs.outputs().get("predictions").artifact()).get(1))
        .isEqualTo("0,," + expected[0]);
  }

  @Test
  void shouldFailWithoutRetryWhenTheWidthDoesNotFitTheModel() {
    // given
    float[] narrow = new float[2 * 5];
    ArtifactRef dataset =
        put("narrow.ndlist", DatasetCodec.encode(new LabeledData(narrow, new int[2], 5, 3)));

    // then
    assertThatThrownBy(
            () -> handler().execute(context(Map.of("name", "digits", "dataset", json(dataset)))))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(
            "param dataset: examples have 5 features, but model 'digits' version 2 expects 12")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }

  @Test
  void shouldFailWithoutRetryNamingALabelOutOfRange() {
    // given: labels up to 2, but classes 2
    ArtifactRef dataset = put("test.ndlist", DatasetCodec.encode(data));

    // then
    assertThatThrownBy(
            () ->
                handler()
                    .execute(
                        context(Map.of("name", "digits", "dataset", json(dataset), "classes", 2))))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("label 2 of example 2")
        .hasMessageContaining("is not in [0, 2) (param classes)");
  }

  @Test
  void shouldPassTheRequestedVersionToTheLookup() {
    // given
    ArtifactRef dataset = put("test.ndlist", DatasetCodec.encode(data));
    Map<String, Integer> asked = new HashMap<>();
    BatchInfer handler =
        new BatchInfer(
            (name, version) -> {
              asked.put(name, version);
              throw new TaskFailedException(
                  "model '" + name + "' has no version " + version, false);
            });

    // then
    assertThatThrownBy(
            () ->
                handler.execute(
                    context(Map.of("name", "digits", "version", 7, "dataset", json(dataset)))))
        .hasMessage("model 'digits' has no version 7");
    assertThat(asked).containsEntry("digits", 7);
  }

  @Test
  void shouldFailWithoutRetryOnAModelThatCannotBeLoaded() {
    // given: the model's artifact is recorded with another sha256
    ModelVersion corrupt =
        ModelVersion.newBuilder(model)
            .setArtifact(
                ArtifactRef.newBuilder(model.getArtifact()).setSha256("0".repeat(64)).build())
            .build();
    ArtifactRef dataset = put("test.ndlist", DatasetCodec.encode(data));

    // then
    assertThatThrownBy(
            () ->
                new BatchInfer((name, version) -> corrupt)
                    .execute(context(Map.of("name", "digits", "dataset", json(dataset)))))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageStartingWith("Cannot load model 'digits' version 2: ")
        .hasMessageContaining("sha256");
  }

  private BatchInfer handler() {
    return new BatchInfer(
        (name, version) -> {
          assertThat(name).isEqualTo("digits");
          return model;
        });
  }

  private ArtifactRef put(String name, byte[] bytes) {
    return store.put(
        "run-0", "setup", 1, name, new ByteArrayInputStream(bytes), "application/octet-stream");
  }

  private List<String> read(ArtifactRef ref) throws IOException {
    try (InputStream in = store.open(ref)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static Map<String, Object> json(ArtifactRef ref) {
    return Map.of(
        "uri",
        ref.getUri(),
        "sha256",
        ref.getSha256(),
        "size",
        ref.getSize(),
        "mediaType",
        ref.getMediaType());
  }

  private TaskContextImpl context(Map<String, Object> params) {
    Map<String, JsonNode> values = new HashMap<>();
    params.forEach((k, v) -> values.put(k, JSON.valueToTree(v)));
    TaskRequest request =
        TaskRequest.newBuilder()
            .setRunId("run-1")
            .setTaskId("score")
            .setAttempt(1)
            .setType(BatchInfer.TYPE)
            .setDeadline(Instant.now().plusSeconds(60))
            .setIdempotencyKey("run-1/score/1")
            .setScheduledAt(Instant.now())
            .build();
    return new TaskContextImpl(request, values, Map.of(), store, "worker-1", progress -> {});
  }
}

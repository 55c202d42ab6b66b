package io.weft.it;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.api.ModelRegistry;
import io.weft.embedded.WeftStack;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.dl.ModelCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.serving.InferenceServer;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.LocalArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test kit for the inference server on the real broker and schema registry with real DJL models: a
 * topic prefix and an artifact directory of its own, a model registry, models built from fresh
 * randomly initialised MLPs (each answers its own logits, computed here for comparison), servers.
 */
final class ServingKit implements AutoCloseable {

  static final ModelSpec SPEC = new ModelSpec("mlp", new int[] {16}, 784, 10);
  static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> settings = new HashMap<>();
  private final LocalArtifactStore store;
  private final ModelRegistry registry;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  ServingKit(WeftStack stack) {
    WeftInstallation installation = WeftInstallation.forTests(stack, "serving");
    settings.putAll(installation.connection());
    this.store = new LocalArtifactStore(installation.artifactDir());
    this.registry = ModelRegistry.create(settings);
  }

  ModelRegistry registry() {
    return registry;
  }

  /** Starts a server on this kit's registry and artifacts; {@code extra} adds settings. */
  InferenceServer server(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(settings);
    config.put("serve.port", 0);
    config.put("serve.artifact.dir", store.root().toString());
    config.putAll(extra);
    InferenceServer server = InferenceServer.start(config);
    closeables.add(server);
    return server;
  }

  /** A freshly initialised MLP, saved as an artifact and registered as the next version. */
  TrainedModel register(String name, float[] probe) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = SPEC.block();
      block.initialize(manager, DataType.FLOAT32, new Shape(1, SPEC.width()));
      float[] logits =
          block
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.create(probe, new Shape(1, SPEC.width()))),
                  false)
              .singletonOrThrow()
              .toFloatArray();
      ByteArrayOutputStream saved = new ByteArrayOutputStream();
      ModelCodec.save(block, saved);
      ArtifactRef artifact =
          store.put(
              "train-" + name,
              "fit",
              1,
              "model-" + UUID.randomUUID() + ".params",
              new ByteArrayInputStream(saved.toByteArray()),
              ModelCodec.MEDIA_TYPE);
      ModelVersion version =
          registry.register(name, artifact, Map.of(), SPEC.toProperties(), null, null);
      return new TrainedModel(version.getVersion(), logits);
    }
  }

  /** Registers a version whose artifact's recorded sha256 does not match the file. */
  int registerCorrupt(String name) {
    ArtifactRef good =
        store.put(
            "train-" + name,
            "fit",
            1,
            "corrupt-" + UUID.randomUUID() + ".params",
            new ByteArrayInputStream(new byte[] {1, 2, 3}),
            ModelCodec.MEDIA_TYPE);
    ArtifactRef corrupt = ArtifactRef.newBuilder(good).setSha256("0".repeat(64)).build();
    return registry.register(name, corrupt, Map.of(), SPEC.toProperties(), null, null).getVersion();
  }

  HttpResponse<String> infer(URI server, String name, float[] row)
      throws IOException, InterruptedException {
    return post(
        server.resolve("/v2/models/" + name + "/infer"), request(new long[] {1, row.length}, row));
  }

  HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Posts one FP32 input of {@code shape} in the v2 binary tensor extension (its data as raw bytes
   * after the JSON header), asking for every output as raw bytes too.
   */
  HttpResponse<byte[]> postBinary(URI uri, long[] shape, float[] data)
      throws IOException, InterruptedException {
    var input = JSON.createObjectNode().put("name", "input-0").put("datatype", "FP32");
    var sizes = input.putArray("shape");
    for (long size : shape) {
      sizes.add(size);
    }
    input.putObject("parameters").put("binary_data_size", data.length * Float.BYTES);
    var request = JSON.createObjectNode();
    request.putArray("inputs").add(input);
    request.putObject("parameters").put("binary_data_output", true);
    byte[] header = JSON.writeValueAsBytes(request);
    java.nio.ByteBuffer body =
        java.nio.ByteBuffer.allocate(header.length + data.length * Float.BYTES)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    body.put(header);
    for (float value : data) {
      body.putFloat(value);
    }
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/octet-stream")
            .header("Inference-Header-Content-Length", String.valueOf(header.length))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.array()))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String request(long[] shape, float[] data) {
    var root = JSON.createObjectNode();
    var input = root.putArray("inputs").addObject().put("name", "input-0").put("datatype", "FP32");
    Arrays.stream(shape).forEach(input.putArray("shape")::add);
    var values = input.putArray("data");
    for (float value : data) {
      values.add(value);
    }
    return root.toString();
  }

  /** The logits of an answer's first row. */
  static float[] logits(HttpResponse<String> response) throws IOException {
    JsonNode data = JSON.readTree(response.body()).at("/outputs/0/data");
    float[] logits = new float[data.size()];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = data.get(i).floatValue();
    }
    return logits;
  }

  /** The index of the largest of {@code values}: the label a model answers for its logits. */
  static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  static float[] probe() {
    float[] row = new float[SPEC.width()];
    for (int i = 0; i < row.length; i++) {
      row[i] = (i % 17) / 17f;
    }
    return row;
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    registry.close();
  }

  /** A registered version and the logits it answers for the probe row. */
  record TrainedModel(int version, float[] logits) {

    boolean answered(float[] answer) {
      if (answer.length != logits.length) {
        return false;
      }
      for (int i = 0; i < logits.length; i++) {
        if (Math.abs(answer[i] - logits[i]) > 1e-4f) {
          return false;
        }
      }
      return true;
    }
  }
}

package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.serving.InferenceServer;
import io.weft.testkit.TinyModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Models trained elsewhere, end to end: a TorchScript and an ONNX file registered and promoted with
 * {@code weft models}, served by an inference server, whose JSON answers are what DJL's own
 * predictor answers for the same inputs.
 */
@ExtendWith(WeftStackExtension.class)
class ModelFilesServingIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private CliKit kit;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldServeRegisteredModelFilesAsDjlAnswersThem(WeftStack stack) throws Exception {
    // given: both files registered and promoted with the CLI
    kit = new CliKit(stack, "cli-model-files");
    Path artifacts = kit.dir.resolve("artifacts");
    Path onnx = TinyModels.write(kit.dir.resolve("files"), "mixed.onnx", TinyModels.mixedOnnx());
    Path torchScript =
        TinyModels.write(kit.dir.resolve("files"), "mixed.pt", TinyModels.mixedTorchScript());
    ok(
        "models",
        "register",
        "mixed-onnx",
        "--file",
        onnx.toString(),
        "--artifact-dir",
        artifacts.toString());
    ok(
        "models",
        "register",
        "mixed-pt",
        "--file",
        torchScript.toString(),
        "--artifact-dir",
        artifacts.toString(),
        "--input",
        "x:FP32:-1,2",
        "--input",
        "n:INT64:-1",
        "--output",
        "y:FP32:-1,3",
        "--output",
        "next:INT64:-1",
        "--output",
        "positive:BOOL:-1");
    ok("models", "promote", "mixed-onnx", "1");
    ok("models", "promote", "mixed-pt", "1");

    // when: an inference server serves them
    Map<String, Object> settings = new HashMap<>(kit.common());
    settings.put("serve.port", 0);
    settings.put("serve.artifact.dir", artifacts.toString());
    try (InferenceServer server = InferenceServer.start(settings)) {
      await().atMost(Duration.ofSeconds(60)).until(server::isReady);
      URI uri = server.uri();

      // then: the ONNX model's metadata is the model's own, and its answers are DJL's
      JsonNode metadata = JSON.readTree(get(uri.resolve("/v2/models/mixed-onnx")));
      assertThat(metadata.get("platform").asText()).isEqualTo("onnxruntime_onnx");
      assertThat(metadata.get("inputs").toString())
          .isEqualTo(
              "[{\"name\":\"values\",\"datatype\":\"FP64\",\"shape\":[-1,2]},"
                  + "{\"name\":\"counts\",\"datatype\":\"INT64\",\"shape\":[-1]}]");
      double[] values = {1.5, -2, 0.25, 4};
      long[] counts = {3, 0};
      JsonNode onnxAnswer =
          infer(
              uri,
              "mixed-onnx",
              "{\"inputs\":[{\"name\":\"values\",\"datatype\":\"FP64\",\"shape\":[2,2],"
                  + "\"data\":[1.5,-2,0.25,4]},{\"name\":\"counts\",\"datatype\":\"INT64\","
                  + "\"shape\":[2],\"data\":[3,0]}]}");
      assertThat(outputs(onnxAnswer))
          .isEqualTo(
              directly(
                  onnx,
                  "OnnxRuntime",
                  m -> new NDList(m.create(values, new Shape(2, 2)), m.create(counts)),
                  List.of("doubled", "next", "positive")));

      // and: the TorchScript model's too
      float[] x = {1, 1, 0, 2, -3, 0.5f};
      long[] n = {0, 5, -2};
      JsonNode torchAnswer =
          infer(
              uri,
              "mixed-pt",
              "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[3,2],"
                  + "\"data\":[1,1,0,2,-3,0.5]},{\"name\":\"n\",\"datatype\":\"INT64\","
                  + "\"shape\":[3],\"data\":[0,5,-2]}]}");
      Map<String, List<Object>> expected =
          directly(
              torchScript,
              "PyTorch",
              m -> new NDList(m.create(x, new Shape(3, 2)), m.create(n)),
              List.of("y", "next", "positive"));
      assertThat(outputs(torchAnswer)).isEqualTo(expected);
      assertThat(expected.get("positive")).containsExactly(false, true, false);
    }
  }

  private void ok(String... args) {
    Cli.Result result = kit.weft(args);
    assertThat(result.exitCode()).as(result.err()).isEqualTo(Weft.OK);
  }

  private static String get(URI uri) throws Exception {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static JsonNode infer(URI server, String model, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(server.resolve("/v2/models/" + model + "/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Each output's values as Float, Double, Long or Boolean, by name, in answer order. */
  private static Map<String, List<Object>> outputs(JsonNode answer) {
    Map<String, List<Object>> outputs = new HashMap<>();
    for (JsonNode output : answer.get("outputs")) {
      List<Object> values = new ArrayList<>();
      String type = output.get("datatype").asText();
      for (JsonNode value : output.get("data")) {
        values.add(
            switch (type) {
              case "FP32" -> value.floatValue();
              case "FP64" -> value.doubleValue();
              case "BOOL" -> value.booleanValue();
              default -> value.longValue();
            });
      }
      outputs.put(output.get("name").asText(), values);
    }
    return outputs;
  }

  /** What DJL's predictor answers for the same inputs, as {@link #outputs} reads them. */
  private static Map<String, List<Object>> directly(
      Path file, String engine, Function<NDManager, NDList> inputs, List<String> names)
      throws Exception {
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optEngine(engine)
            .optModelPath(file)
            .optTranslator(new NoopTranslator())
            .build();
    try (ZooModel<NDList, NDList> model = criteria.loadModel();
        Predictor<NDList, NDList> predictor = model.newPredictor();
        NDManager manager = model.getNDManager().newSubManager()) {
      NDList answer = predictor.predict(inputs.apply(manager));
      Map<String, List<Object>> outputs = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        NDArray array = answer.get(i);
        List<Object> values = new ArrayList<>();
        switch (array.getDataType()) {
          case BOOLEAN -> {
            for (boolean value : array.toBooleanArray()) {
              values.add(value);
            }
          }
          case FLOAT32 -> {
            for (float value : array.toFloatArray()) {
              values.add(value);
            }
          }
          case FLOAT64 -> {
            for (double value : array.toDoubleArray()) {
              values.add(value);
            }
          }
          default -> {
            for (long value : array.toLongArray()) {
              values.add(value);
            }
          }
        }
        outputs.put(names.get(i), values);
      }
      return outputs;
    }
  }
}

package io.weft.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.weft.common.WeftException;
import io.weft.ml.api.Classifier;
import io.weft.ml.api.ClassifierServable;
import io.weft.ml.api.ModelLoader;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.api.Servable;
import io.weft.schemas.models.ModelVersion;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.weft.serving.grpc.v2.InferTensorContents;
import io.weft.serving.grpc.v2.ModelInferRequest;
import io.weft.serving.grpc.v2.ModelInferRequest.InferInputTensor;
import io.weft.serving.grpc.v2.ModelInferRequest.InferRequestedOutputTensor;
import io.weft.serving.grpc.v2.ModelInferResponse;
import io.weft.serving.grpc.v2.ModelMetadataRequest;
import io.weft.serving.grpc.v2.ModelMetadataResponse;
import io.weft.serving.grpc.v2.ModelReadyRequest;
import io.weft.serving.grpc.v2.ServerLiveRequest;
import io.weft.serving.grpc.v2.ServerMetadataRequest;
import io.weft.serving.grpc.v2.ServerReadyRequest;
import io.weft.serving.internals.FakeRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The v2 gRPC endpoint over a real socket, beside the REST endpoints of the same server: the same
 * answers for the same input, whether raw or typed, and the same refusals with their status codes.
 * Its model (4 inputs, 3 classes, production version 2) answers logits that depend on each row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcInferenceTest {

  private static final float[] TWO_ROWS = {1, 2, 3, 4, -5, 0.25f, 0, 1};

  private final ServingFixture serving = new ServingFixture(SummingClassifier::load);
  private InferenceServer server;
  private GrpcClient client;

  @BeforeAll
  void serve() {
    server =
        serving.serve(
            "mnist",
            2,
            Map.of(
                InferenceConfig.GRPC_PORT_CONFIG, 0,
                InferenceConfig.MAX_BATCH_CONFIG, 8,
                InferenceConfig.MAX_REQUEST_BYTES_CONFIG, 4096));
    client = new GrpcClient(server);
  }

  @AfterAll
  void stop() {
    client.close();
    serving.close();
  }

  private GRPCInferenceServiceBlockingStub stub() {
    return client.stub();
  }

  @Test
  void shouldAnswerRawContentsAsTheHttpPathAnswersJson() throws Exception {
    // given
    String json =
        "{\"id\":\"r-1\",\"inputs\":[{\"name\":\"input-0\",\"shape\":[2,4],\"datatype\":\"FP32\","
            + "\"data\":[1,2,3,4,-5,0.25,0,1]}]}";
    ModelInferRequest request =
        GrpcClient.raw(GrpcClient.infer("mnist", 2, 4).setId("r-1"), TWO_ROWS);

    // when
    JsonNode http = ServingFixture.json(serving.post("/v2/models/mnist/infer", json));
    ModelInferResponse grpc = stub().modelInfer(request);

    // then
    assertThat(grpc.getModelName()).isEqualTo("mnist");
    assertThat(grpc.getModelVersion()).isEqualTo(http.get("model_version").asText()).isEqualTo("2");
    assertThat(grpc.getId()).isEqualTo("r-1");
    assertThat(grpc.getOutputsList())
        .extracting(o -> o.getName(), o -> o.getDatatype(), o -> o.getShapeList())
        .containsExactly(
            tuple("output-0", "FP32", List.of(2L, 3L)), tuple("label", "INT64", List.of(2L)));
    float[] logits = GrpcClient.floats(grpc.getRawOutputContents(0));
    long[] labels = GrpcClient.longs(grpc.getRawOutputContents(1));
    JsonNode httpLogits = http.get("outputs").get(0).get("data");
    JsonNode httpLabels = http.get("outputs").get(1).get("data");
    assertThat(logits)
        .hasSize(httpLogits.size())
        .containsExactly(10, 20, 30, -3.75f, -7.5f, -11.25f);
    for (int i = 0; i < logits.length; i++) {
      assertThat(logits[i]).isEqualTo(httpLogits.get(i).floatValue());
    }
    assertThat(labels).containsExactly(httpLabels.get(0).asLong(), httpLabels.get(1).asLong());
    assertThat(labels).containsExactly(2, 0);
  }

  @Test
  void shouldAnswerFp32ContentsAsRawContents() {
    // when
    ModelInferResponse raw =
        stub().modelInfer(GrpcClient.raw(GrpcClient.infer("mnist", 2, 4), TWO_ROWS));
    ModelInferResponse typed =
        stub().modelInfer(GrpcClient.typed(GrpcClient.infer("mnist", 2, 4), TWO_ROWS));

    // then
    assertThat(typed).isEqualTo(raw);
    assertThat(typed.getRawOutputContentsCount()).isEqualTo(2);
  }

  @Test
  void shouldAnswerOnlyTheOutputsAskedFor() {
    // given
    ModelInferRequest request =
        GrpcClient.raw(
            GrpcClient.infer("mnist", 4)
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName("label")),
            1,
            2,
            3,
            4);

    // when
    ModelInferResponse response = stub().modelInfer(request);

    // then
    assertThat(response.getOutputsList()).extracting(o -> o.getName()).containsExactly("label");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L);
    assertThat(GrpcClient.longs(response.getRawOutputContents(0))).containsExactly(2);
  }

  @Test
  void shouldAnswerAnOlderVersionAskedFor() {
    // when
    ModelInferResponse response =
        stub()
            .modelInfer(
                GrpcClient.raw(GrpcClient.infer("mnist", 1, 4).setModelVersion("1"), 0, 0, 0, 0));

    // then
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(GrpcClient.floats(response.getRawOutputContents(0))).containsExactly(-1, -1, -1);
  }

  @Test
  void shouldDescribeTheServerAndTheModel() {
    // when
    ModelMetadataResponse model =
        stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("mnist").build());
    ModelMetadataResponse older =
        stub()
            .modelMetadata(
                ModelMetadataRequest.newBuilder().setName("mnist").setVersion("1").build());

    // then
    assertThat(stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(
            stub().modelReady(ModelReadyRequest.newBuilder().setName("mnist").build()).getReady())
        .isTrue();
    assertThat(
            stub()
                .modelReady(ModelReadyRequest.newBuilder().setName("mnist").setVersion("1").build())
                .getReady())
        .isFalse();
    assertThat(stub().serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
        .isEqualTo("weft");
    assertThat(model.getName()).isEqualTo("mnist");
    assertThat(model.getVersionsList()).containsExactly("2");
    assertThat(older.getVersionsList()).containsExactly("1");
    assertThat(model.getPlatform()).isEqualTo("pytorch_djl");
    assertThat(model.getInputsList())
        .extracting(t -> t.getName(), t -> t.getDatatype(), t -> t.getShapeList())
        .containsExactly(tuple("input-0", "FP32", List.of(-1L, 4L)));
    assertThat(model.getOutputsList())
        .extracting(t -> t.getName(), t -> t.getDatatype(), t -> t.getShapeList())
        .containsExactly(
            tuple("output-0", "FP32", List.of(-1L, 3L)), tuple("label", "INT64", List.of(-1L)));
  }

  /**
   * Each mistake: a gRPC request, the JSON body of the same mistake (or null if it has no REST
   * twin), the code and the message.
   */
  Stream<Arguments> mistakes() {
    String oneRow = "\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]";
    return Stream.of(
        Arguments.of(
            "unknown model",
            GrpcClient.raw(GrpcClient.infer("fashion", 1, 4), 1, 2, 3, 4),
            "/v2/models/fashion/infer",
            ServingFixture.oneRow("[1,2,3,4]"),
            Status.Code.NOT_FOUND,
            "model 'fashion' not found; served models: mnist"),
        Arguments.of(
            "unknown version",
            GrpcClient.raw(GrpcClient.infer("mnist", 1, 4).setModelVersion("7"), 1, 2, 3, 4),
            "/v2/models/mnist/versions/7/infer",
            ServingFixture.oneRow("[1,2,3,4]"),
            Status.Code.NOT_FOUND,
            "model 'mnist' has no version 7; production is version 2"),
        Arguments.of(
            "a version that is no number",
            GrpcClient.raw(GrpcClient.infer("mnist", 1, 4).setModelVersion("x"), 1, 2, 3, 4),
            "/v2/models/mnist/versions/x/infer",
            ServingFixture.oneRow("[1,2,3,4]"),
            Status.Code.NOT_FOUND,
            "model 'mnist' has no version 'x'; versions are 1, 2, ..."),
        Arguments.of(
            "wrong datatype",
            GrpcClient.raw(
                GrpcClient.infer("mnist", 1, 4)
                    .setInputs(
                        0,
                        InferInputTensor.newBuilder()
                            .setName("input-0")
                            .setDatatype("INT32")
                            .addShape(1)
                            .addShape(4)),
                1,
                2,
                3,
                4),
            "/v2/models/mnist/infer",
            "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,4],\"datatype\":\"INT32\","
                + "\"data\":[1,2,3,4]}]}",
            Status.Code.INVALID_ARGUMENT,
            "input 'input-0' has datatype INT32; expected datatype FP32"),
        Arguments.of(
            "wrong shape",
            GrpcClient.raw(GrpcClient.infer("mnist", 1, 5), 1, 2, 3, 4, 5),
            "/v2/models/mnist/infer",
            "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,5],\"datatype\":\"FP32\","
                + "\"data\":[1,2,3,4,5]}]}",
            Status.Code.INVALID_ARGUMENT,
            "input 'input-0' has shape [1, 5]; model 'mnist' expects [-1, 4] (or [4] for one row)"),
        Arguments.of(
            "two inputs",
            GrpcClient.infer("mnist", 1, 4)
                .addInputs(InferInputTensor.newBuilder().setName("other"))
                .build(),
            "/v2/models/mnist/infer",
            "{\"inputs\":[{\"name\":\"input-0\"," + oneRow + "},{\"name\":\"other\"}]}",
            Status.Code.INVALID_ARGUMENT,
            "expected exactly one input in 'inputs', got 2; model 'mnist' takes one FP32 input of"
                + " shape [-1, 4]"),
        Arguments.of(
            "unknown output",
            GrpcClient.raw(
                GrpcClient.infer("mnist", 1, 4)
                    .addOutputs(InferRequestedOutputTensor.newBuilder().setName("probs")),
                1,
                2,
                3,
                4),
            "/v2/models/mnist/infer",
            "{\"inputs\":[{\"name\":\"input-0\","
                + oneRow
                + "}],\"outputs\":[{\"name\":\"probs\"}]}",
            Status.Code.INVALID_ARGUMENT,
            "'outputs' names 'probs'; the outputs are output-0, label"),
        Arguments.of(
            "more rows than serve.max.batch",
            GrpcClient.raw(GrpcClient.infer("mnist", 9, 4), new float[36]),
            "/v2/models/mnist/infer",
            "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[9,4],\"datatype\":\"FP32\","
                + "\"data\":[]}]}",
            Status.Code.RESOURCE_EXHAUSTED,
            "input 'input-0' has 9 rows, more than serve.max.batch allows (8); send smaller"
                + " batches"),
        Arguments.of(
            "raw contents of the wrong size",
            GrpcClient.raw(GrpcClient.infer("mnist", 1, 4), 1, 2, 3),
            null,
            null,
            Status.Code.INVALID_ARGUMENT,
            "input 'input-0' has 12 bytes in raw_input_contents, but its shape [1, 4] of FP32"
                + " takes 16"),
        Arguments.of(
            "too few fp32_contents",
            GrpcClient.typed(GrpcClient.infer("mnist", 2, 4), 1, 2, 3, 4),
            null,
            null,
            Status.Code.INVALID_ARGUMENT,
            "input 'input-0' has 4 values in contents.fp32_contents, but its shape [2, 4] holds 8"),
        Arguments.of(
            "values in another field than fp32_contents",
            GrpcClient.infer("mnist", 1, 4)
                .setInputs(
                    0,
                    GrpcClient.infer("mnist", 1, 4).getInputs(0).toBuilder()
                        .setContents(
                            InferTensorContents.newBuilder()
                                .addIntContents(1)
                                .addIntContents(2)
                                .addIntContents(3)
                                .addIntContents(4)))
                .build(),
            null,
            null,
            Status.Code.INVALID_ARGUMENT,
            "input 'input-0' has values in contents.int_contents; FP32 takes fp32_contents"),
        Arguments.of(
            "no data",
            GrpcClient.infer("mnist", 1, 4).build(),
            null,
            null,
            Status.Code.INVALID_ARGUMENT,
            "input 'input-0' has no data; send its values in contents.fp32_contents or"
                + " raw_input_contents"),
        Arguments.of(
            "both raw and typed contents",
            GrpcClient.typed(
                GrpcClient.infer("mnist", 1, 4).addRawInputContents(GrpcClient.raw(1, 2, 3, 4)),
                1,
                2,
                3,
                4),
            null,
            null,
            Status.Code.INVALID_ARGUMENT,
            "input 'input-0' has both contents and raw_input_contents; send one of them"),
        Arguments.of(
            "a NaN",
            GrpcClient.raw(GrpcClient.infer("mnist", 1, 4), 1, Float.NaN, 3, 4),
            null,
            null,
            Status.Code.INVALID_ARGUMENT,
            "input 'input-0' has NaN at index 1 of raw_input_contents, not a finite FP32"),
        Arguments.of(
            "a model that fails",
            GrpcClient.raw(GrpcClient.infer("mnist", 1, 4), SummingClassifier.FAIL, 2, 3, 4),
            null,
            null,
            Status.Code.INTERNAL,
            "internal error: the model failed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void shouldRefuseAMistakeWithItsCodeAndTheHttpPathsMessage(
      String mistake,
      ModelInferRequest request,
      String path,
      String json,
      Status.Code code,
      String message)
      throws Exception {
    // when
    StatusRuntimeException refused = refusal(() -> stub().modelInfer(request));

    // then
    assertThat(refused.getStatus().getCode()).isEqualTo(code);
    assertThat(refused.getStatus().getDescription()).isEqualTo(message);
    if (json != null) {
      HttpResponse<String> http = serving.post(path, json);
      assertThat(ServingFixture.json(http).get("error").asText()).isEqualTo(message);
    }
  }

  @Test
  void shouldRefuseAMessageOverServeMaxRequestBytes() {
    // when
    StatusRuntimeException refused =
        refusal(
            () ->
                stub()
                    .modelInfer(GrpcClient.raw(GrpcClient.infer("mnist", 1, 4), new float[1100])));

    // then
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).contains("4096");
  }

  @Test
  void shouldCountInferCallsAndRefusals() {
    // given
    double answered = requests("mnist", "2", "200");
    double notFound = serving.refused("not_found");

    // when
    stub().modelInfer(GrpcClient.raw(GrpcClient.infer("mnist", 4), 1, 2, 3, 4));
    refusal(
        () ->
            stub()
                .modelInfer(
                    GrpcClient.raw(GrpcClient.infer("mnist", 4).setModelVersion("9"), 1, 2, 3, 4)));

    // then
    assertThat(requests("mnist", "2", "200") - answered).isEqualTo(1);
    assertThat(serving.refused("not_found") - notFound).isEqualTo(1);
  }

  private double requests(String model, String version, String status) {
    Counter counter =
        server
            .meterRegistry()
            .find("weft.inference.requests")
            .tags("model", model, "version", version, "status", status)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void shouldAnswerUnavailableWhileTheModelLoads() throws Exception {
    // given: a load that waits
    CountDownLatch loading = new CountDownLatch(1);
    ModelLoader slow =
        version -> {
          try {
            loading.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return SummingClassifier.load(version);
        };
    FakeRegistry registry = new FakeRegistry();
    registry.register("mnist", 1, 4, 3);
    registry.promote("mnist", 1);
    try (InferenceServer starting = start(registry, slow, 0);
        GrpcClient slowClient = new GrpcClient(starting)) {
      try {
        // when
        StatusRuntimeException refused =
            refusal(
                () ->
                    slowClient
                        .stub()
                        .modelInfer(GrpcClient.raw(GrpcClient.infer("mnist", 4), 1, 2, 3, 4)));

        // then
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getStatus().getDescription())
            .isEqualTo("model 'mnist' is not loaded yet");
        assertThat(
                slowClient.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
            .isFalse();
      } finally {
        loading.countDown();
      }
    }
  }

  @Test
  void shouldServeNoGrpcUnlessAPortIsSet() {
    // given
    FakeRegistry registry = new FakeRegistry();

    // when
    try (InferenceServer plain = start(registry, SummingClassifier::load, null)) {

      // then
      assertThat(plain.grpcPort()).isEqualTo(-1);
    }
  }

  @Test
  void shouldFailToStartNamingTheSettingsWhenThePortIsTaken() throws Exception {
    // given
    FakeRegistry registry = new FakeRegistry();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {

      // then
      assertThatThrownBy(() -> start(registry, SummingClassifier::load, taken.getLocalPort()))
          .isInstanceOf(WeftException.class)
          .hasMessageContaining("Cannot listen for gRPC inference calls on 127.0.0.1:")
          .hasMessageContaining("(serve.host, serve.grpc.port)");
      assertThat(registry.isClosed()).isTrue();
    }
  }

  private static InferenceServer start(
      FakeRegistry registry, ModelLoader loader, Integer grpcPort) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", "127.0.0.1:9");
    settings.put("schema.registry.url", "mock://serving");
    settings.put("serve.port", 0);
    if (grpcPort != null) {
      settings.put(InferenceConfig.GRPC_PORT_CONFIG, grpcPort);
    }
    return InferenceServer.start(new InferenceConfig(settings), registry, loader, Time.SYSTEM);
  }

  private static StatusRuntimeException refusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call was answered, not refused");
  }

  /**
   * A classifier whose logit {@code j} of a row is the row's sum times {@code j + 1}, minus 1 if it
   * is version 1; the label the largest logit's. A first value of {@value #FAIL} makes it fail.
   */
  record SummingClassifier(ModelSpec spec, int version) implements Classifier {

    static final float FAIL = -999;

    static Servable load(ModelVersion version) {
      return new ClassifierServable(loadClassifier(version));
    }

    static Classifier loadClassifier(ModelVersion version) {
      return new SummingClassifier(
          ModelSpec.fromProperties(version.getProperties()), version.getVersion());
    }

    @Override
    public Prediction predict(float[] features, int rows) {
      if (features[0] == FAIL) {
        throw new IllegalStateException("the model failed");
      }
      int width = spec.width();
      int classes = spec.classes();
      float[] logits = new float[rows * classes];
      long[] labels = new long[rows];
      for (int r = 0; r < rows; r++) {
        float sum = 0;
        for (int i = 0; i < width; i++) {
          sum += features[r * width + i];
        }
        for (int j = 0; j < classes; j++) {
          logits[r * classes + j] = sum * (j + 1) - (version == 1 ? 1 : 0);
        }
        labels[r] = sum > 0 ? classes - 1 : 0;
      }
      return new Prediction(logits, labels);
    }

    @Override
    public void close() {}
  }
}

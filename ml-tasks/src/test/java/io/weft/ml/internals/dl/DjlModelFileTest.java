package io.weft.ml.internals.dl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.weft.ml.api.ModelFileException;
import io.weft.ml.api.ModelFiles;
import io.weft.ml.api.ModelFormat;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorSpec;
import io.weft.ml.api.TensorType;
import io.weft.testkit.TinyModels;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files from elsewhere, TorchScript and ONNX, written by {@link TinyModels}. */
class DjlModelFileTest {

  private static final float[] X = {1, 1, 0, 2, -3, 0.5f};

  @TempDir Path dir;

  @Test
  void shouldAnswerWhatDjlsPredictorAnswersForTorchScript() throws Exception {
    // given
    Path file = TinyModels.write(dir, "mixed.pt", TinyModels.mixedTorchScript());
    List<Tensor> inputs =
        List.of(Tensor.ofFloats("x", X, 3, 2), Tensor.ofLongs("n", new long[] {0, 5, -2}, 3));

    // when
    List<Tensor> answer;
    try (DjlModelFile model =
        DjlModelFile.load(
            file,
            ModelFormat.TORCHSCRIPT,
            specs(TinyModels.MIXED_TORCHSCRIPT_INPUTS),
            specs(TinyModels.MIXED_TORCHSCRIPT_OUTPUTS),
            "mixed.pt")) {
      answer = model.infer(inputs);
    }

    // then: the same as DJL's own predictor, and as the model's arithmetic
    List<Tensor> direct =
        directly(
            file,
            ModelFormat.TORCHSCRIPT,
            m ->
                new NDList(
                    m.create(X, new Shape(3, 2)), m.create(new long[] {0, 5, -2}, new Shape(3))),
            List.of("y", "next", "positive"));
    assertThat(answer).containsExactlyElementsOf(direct);
    assertThat(answer.get(0).toFloats()).containsExactly(TinyModels.linear(X, 3));
    assertThat(answer.get(0).shape()).containsExactly(3, 3);
    assertThat(answer.get(1).toLongs()).containsExactly(1, 6, -1);
    assertThat(answer.get(2).toBooleans()).containsExactly(false, true, false);
  }

  @Test
  void shouldAnswerWhatDjlsPredictorAnswersForOnnx() throws Exception {
    // given
    Path file = TinyModels.write(dir, "mixed.onnx", TinyModels.mixedOnnx());
    double[] values = {1.5, -2, 0.25, 4};
    List<Tensor> inputs =
        List.of(
            Tensor.ofDoubles("values", values, 2, 2),
            Tensor.ofLongs("counts", new long[] {3, 0}, 2));

    // when
    List<Tensor> answer;
    try (DjlModelFile model =
        DjlModelFile.load(file, ModelFormat.ONNX, List.of(), List.of(), "x")) {
      answer = model.infer(inputs);
    }

    // then
    List<Tensor> direct =
        directly(
            file,
            ModelFormat.ONNX,
            m -> new NDList(m.create(values, new Shape(2, 2)), m.create(new long[] {3, 0})),
            List.of("doubled", "next", "positive"));
    assertThat(answer).containsExactlyElementsOf(direct);
    assertThat(answer.get(0).toDoubles()).containsExactly(3, -4, 0.5, 8);
    assertThat(answer.get(1).toLongs()).containsExactly(4, 1);
    assertThat(answer.get(2).toBooleans()).containsExactly(true, false);
  }

  @Test
  void shouldAnswerLinearModelsOfBothFormatsAlike() {
    // given
    Path onnx = TinyModels.write(dir, "linear.onnx", TinyModels.linearOnnx());
    Path torchScript = TinyModels.write(dir, "linear.pt", TinyModels.linearTorchScript());
    List<Tensor> inputs = List.of(Tensor.ofFloats("x", X, 3, 2));

    // when
    try (DjlModelFile fromOnnx =
            DjlModelFile.load(onnx, ModelFormat.ONNX, List.of(), List.of(), "o");
        DjlModelFile fromTorch =
            DjlModelFile.load(
                torchScript,
                ModelFormat.TORCHSCRIPT,
                specs(TinyModels.LINEAR_INPUTS),
                specs(TinyModels.LINEAR_OUTPUTS),
                "t")) {

      // then
      assertThat(fromOnnx.infer(inputs)).isEqualTo(fromTorch.infer(inputs));
      assertThat(fromOnnx.infer(inputs).get(0).toFloats()).containsExactly(TinyModels.linear(X, 3));
      assertThat(fromOnnx.platform()).isEqualTo("onnxruntime_onnx");
      assertThat(fromTorch.platform()).isEqualTo("pytorch_torchscript");
    }
  }

  @Test
  void shouldCarryEveryTypeBothEnginesTakeThroughUnchanged() {
    // given: identity models of each type, and a tensor of each type's extremes
    Path torchScript = TinyModels.write(dir, "identity.pt", TinyModels.identityTorchScript());
    List<Tensor> tensors =
        List.of(
            Tensor.ofBooleans("x", new boolean[] {true, false, true}, 3),
            raw(TensorType.UINT8, 0, (byte) 200, (byte) 255),
            raw(TensorType.INT8, (byte) -128, 0, 127),
            Tensor.ofInts("x", new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, 3),
            Tensor.ofLongs("x", new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, 3),
            Tensor.ofFloats("x", new float[] {-Float.MAX_VALUE, Float.MIN_VALUE, 0.1f}, 3),
            Tensor.ofDoubles("x", new double[] {-Double.MAX_VALUE, Double.MIN_VALUE, 0.1}, 3));

    for (Tensor tensor : tensors) {
      String type = tensor.type().name();
      Path onnx = TinyModels.write(dir, type + ".onnx", TinyModels.identityOnnx(type));

      // when
      try (DjlModelFile fromOnnx =
              DjlModelFile.load(onnx, ModelFormat.ONNX, List.of(), List.of(), type);
          DjlModelFile fromTorch =
              DjlModelFile.load(
                  torchScript,
                  ModelFormat.TORCHSCRIPT,
                  specs("x:" + type + ":-1"),
                  specs("y:" + type + ":-1"),
                  type)) {

        // then
        assertThat(fromOnnx.infer(List.of(tensor))).as(type).containsExactly(tensor.named("y"));
        assertThat(fromTorch.infer(List.of(tensor))).as(type).containsExactly(tensor.named("y"));
      }
    }
  }

  @Test
  void shouldReadTheSignatureOfAnOnnxModelFromTheModel() {
    // given
    Path file = TinyModels.write(dir, "mixed.onnx", TinyModels.mixedOnnx());

    // when
    try (DjlModelFile model =
        DjlModelFile.load(file, ModelFormat.ONNX, List.of(), List.of(), "x")) {

      // then
      assertThat(model.inputs()).isEqualTo(specs(TinyModels.MIXED_ONNX_INPUTS));
      assertThat(model.outputs()).isEqualTo(specs(TinyModels.MIXED_ONNX_OUTPUTS));
      assertThat(model.isBatchable()).isTrue();
    }
  }

  @Test
  void shouldAcceptADeclaredSignatureThatNarrowsTheOnnxModels() {
    // given: the batch size fixed at 2 where the model takes any
    Path file = TinyModels.write(dir, "linear.onnx", TinyModels.linearOnnx());

    // when
    try (DjlModelFile model =
        DjlModelFile.load(file, ModelFormat.ONNX, specs("x:FP32:2,2"), List.of(), "x")) {

      // then
      assertThat(model.inputs()).isEqualTo(specs("x:FP32:2,2"));
      assertThat(model.outputs()).isEqualTo(specs(TinyModels.LINEAR_OUTPUTS));
    }
  }

  @Test
  void shouldNameEveryDeclaredTensorThatDoesNotMatchTheOnnxModel() {
    // given
    Path file = TinyModels.write(dir, "mixed.onnx", TinyModels.mixedOnnx());

    // when / then
    assertThatThrownBy(
            () ->
                DjlModelFile.load(
                    file,
                    ModelFormat.ONNX,
                    specs("values:FP32:-1,2;counts:INT64:-1,1"),
                    specs("doubled:FP64:-1,2;later:INT64:-1"),
                    "model file mixed.onnx"))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("model file mixed.onnx cannot be served")
        .hasMessageContaining(
            "input 'values' is declared FP32 [-1, 2], the model's is FP64 [-1, 2]")
        .hasMessageContaining("input 'counts' is declared INT64 [-1, 1], the model's is INT64 [-1]")
        .hasMessageContaining("output 'later' is not one of the model's outputs")
        .hasMessageContaining("the model's output 'next' is not declared")
        .hasMessageContaining("the model's output 'positive' is not declared");
  }

  @Test
  void shouldRefuseATypeTheEngineCannotTakeAtLoad() {
    // given
    Path onnx = TinyModels.write(dir, "int16.onnx", TinyModels.identityOnnx("INT16"));
    Path torchScript = TinyModels.write(dir, "linear.pt", TinyModels.linearTorchScript());

    // when / then
    assertThatThrownBy(() -> DjlModelFile.load(onnx, ModelFormat.ONNX, List.of(), List.of(), "a"))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining(
            "input 'x' is INT16, which DJL's OnnxRuntime engine cannot take (it takes BOOL,"
                + " UINT8, INT8, INT32, INT64, FP32, FP64)")
        .hasMessageContaining("output 'y' is INT16");
    assertThatThrownBy(
            () ->
                DjlModelFile.load(
                    torchScript,
                    ModelFormat.TORCHSCRIPT,
                    specs("x:UINT16:-1,2"),
                    specs(TinyModels.LINEAR_OUTPUTS),
                    "b"))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("input 'x' is UINT16, which DJL's PyTorch engine cannot take");
  }

  @Test
  void shouldRequireADeclaredSignatureForTorchScript() {
    // given
    Path file = TinyModels.write(dir, "linear.pt", TinyModels.linearTorchScript());

    // when / then
    assertThatThrownBy(
            () ->
                DjlModelFile.load(
                    file, ModelFormat.TORCHSCRIPT, specs(TinyModels.LINEAR_INPUTS), List.of(), "t"))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("a torchscript model carries no typed signature");
  }

  @Test
  void shouldRefuseACorruptFileNamingIt() {
    // given: a TorchScript archive cut short, and bytes that are no ONNX model
    byte[] whole = TinyModels.linearTorchScript();
    Path torchScript =
        TinyModels.write(dir, "cut.pt", java.util.Arrays.copyOf(whole, whole.length / 2));
    Path onnx = TinyModels.write(dir, "noise.onnx", "not a model".getBytes());

    // when / then
    assertThatThrownBy(
            () ->
                DjlModelFile.load(
                    torchScript,
                    ModelFormat.TORCHSCRIPT,
                    specs(TinyModels.LINEAR_INPUTS),
                    specs(TinyModels.LINEAR_OUTPUTS),
                    "model file cut.pt"))
        .isInstanceOf(ModelFileException.class)
        .hasMessageStartingWith("model file cut.pt does not load as a torchscript model");
    assertThatThrownBy(
            () ->
                DjlModelFile.load(onnx, ModelFormat.ONNX, List.of(), List.of(), "model file noise"))
        .isInstanceOf(ModelFileException.class)
        .hasMessageStartingWith("model file noise is not an ONNX model ONNX Runtime can load");
    assertThatThrownBy(
            () ->
                DjlModelFile.load(
                    dir.resolve("missing.onnx"), ModelFormat.ONNX, List.of(), List.of(), "m"))
        .hasMessageContaining("m: no readable file at");
  }

  @Test
  void shouldNameTheOutputThatIsNotWhatTheTorchScriptModelDeclares() {
    // given: y declared FP64, then of 4 columns, where the model answers FP32 [n, 3]
    Path file = TinyModels.write(dir, "linear.pt", TinyModels.linearTorchScript());

    for (String declared : List.of("y:FP64:-1,3", "y:FP32:-1,4")) {
      try (DjlModelFile model =
          DjlModelFile.load(
              file,
              ModelFormat.TORCHSCRIPT,
              specs(TinyModels.LINEAR_INPUTS),
              specs(declared),
              "t")) {

        // when / then
        assertThatThrownBy(() -> ModelFiles.tryOnce(model, "model file linear.pt"))
            .isInstanceOf(ModelFileException.class)
            .hasMessageContaining("model file linear.pt does not run on zeros")
            .hasMessageContaining(
                "output 'y' is FP32 [1, 3], it declares "
                    + (declared.contains("FP64") ? "FP64 [-1, 3]" : "FP32 [-1, 4]"));
      }
    }
  }

  @Test
  void shouldAnswerConcurrentCallsAsItAnswersThemOneByOne() throws Exception {
    // given
    Path file = TinyModels.write(dir, "mixed.pt", TinyModels.mixedTorchScript());
    try (DjlModelFile model =
        DjlModelFile.load(
            file,
            ModelFormat.TORCHSCRIPT,
            specs(TinyModels.MIXED_TORCHSCRIPT_INPUTS),
            specs(TinyModels.MIXED_TORCHSCRIPT_OUTPUTS),
            "t")) {
      List<List<Tensor>> requests = new ArrayList<>();
      List<List<Tensor>> alone = new ArrayList<>();
      for (int rows = 1; rows <= 4; rows++) {
        float[] x = new float[rows * 2];
        long[] n = new long[rows];
        for (int i = 0; i < x.length; i++) {
          x[i] = i * rows - 3;
        }
        for (int i = 0; i < rows; i++) {
          n[i] = i - rows / 2;
        }
        requests.add(List.of(Tensor.ofFloats("x", x, rows, 2), Tensor.ofLongs("n", n, rows)));
        alone.add(model.infer(requests.get(rows - 1)));
      }

      // when: four threads, 100 calls each
      ExecutorService threads = Executors.newFixedThreadPool(4);
      List<Future<Boolean>> same = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int r = t;
        same.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    if (!model.infer(requests.get(r)).equals(alone.get(r))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      threads.shutdown();
      assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      // then
      for (Future<Boolean> result : same) {
        assertThat(result.get()).isTrue();
      }
    }
  }

  private static Tensor raw(TensorType type, int... bytes) {
    ByteBuffer data = ByteBuffer.allocate(bytes.length);
    for (int b : bytes) {
      data.put((byte) b);
    }
    return new Tensor("x", type, new long[] {bytes.length}, data.flip());
  }

  private static List<TensorSpec> specs(String text) {
    return ModelSignature.parse(text, "test");
  }

  /** What DJL's own predictor answers, as tensors named {@code names}. */
  private static List<Tensor> directly(
      Path file, ModelFormat format, Function<NDManager, NDList> inputs, List<String> names)
      throws Exception {
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optEngine(format.engine())
            .optModelPath(file)
            .optTranslator(new NoopTranslator())
            .build();
    try (ZooModel<NDList, NDList> model = criteria.loadModel();
        Predictor<NDList, NDList> predictor = model.newPredictor();
        NDManager manager = model.getNDManager().newSubManager()) {
      NDList answer = predictor.predict(inputs.apply(manager));
      List<Tensor> tensors = new ArrayList<>();
      for (int i = 0; i < answer.size(); i++) {
        NDArray array = answer.get(i);
        TensorType type = DjlTensors.typeOf(array.getDataType());
        tensors.add(DjlTensors.toTensor(names.get(i), type, array));
      }
      return tensors;
    }
  }
}

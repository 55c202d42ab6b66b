package io.weft.ml.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSignatureTest {

  @Test
  void shouldReadAClassifiersSignatureFromItsArchitecture() {
    ModelSignature signature =
        ModelSignature.fromProperties(new ModelSpec("mlp", new int[] {8}, 784, 10).toProperties());

    assertThat(signature.platform()).isEqualTo("pytorch_djl");
    assertThat(signature.inputs())
        .containsExactly(new TensorSpec("input-0", TensorType.FP32, new long[] {-1, 784}));
    assertThat(signature.outputs())
        .containsExactly(
            new TensorSpec("output-0", TensorType.FP32, new long[] {-1, 10}),
            new TensorSpec("label", TensorType.INT64, new long[] {-1}));
  }

  @Test
  void shouldRoundTripAModelFilesSignatureThroughItsProperties() {
    ModelSignature signature =
        new ModelSignature(
            "onnxruntime_onnx",
            ModelSignature.parse("x:FP32:-1,4; mask:BOOL:-1", "inputs"),
            ModelSignature.parse("y:FP64:-1,3;n:INT32:", "outputs"));

    Map<String, String> properties = signature.toProperties(ModelFormat.ONNX);

    assertThat(properties)
        .containsEntry("format", "onnx")
        .containsEntry("inputs", "x:FP32:-1,4;mask:BOOL:-1")
        .containsEntry("outputs", "y:FP64:-1,3;n:INT32:");
    assertThat(ModelSignature.fromProperties(properties)).isEqualTo(signature);
  }

  @Test
  void shouldNameTheEntryThatDoesNotParse() {
    assertThatThrownBy(() -> ModelSignature.parse("x:FP32:-1,4;y:FP16:3", "--input"))
        .hasMessage(
            "--input: 'y:FP16:3': datatype 'FP16' is not one of BOOL, UINT8, UINT16, UINT32,"
                + " UINT64, INT8, INT16, INT32, INT64, FP32, FP64 (FP16 and BYTES are not served)");
    assertThatThrownBy(() -> ModelSignature.parse("x:FP32", "--input"))
        .hasMessage("--input: 'x:FP32' is not name:DATATYPE:shape, e.g. x:FP32:-1,4");
    assertThatThrownBy(() -> ModelSignature.parse("x:FP32:0,4", "--input"))
        .hasMessageContaining("dimension 0 is neither positive nor -1");
    assertThatThrownBy(() -> ModelSignature.parse("x:FP32:4;x:INT32:4", "--input"))
        .hasMessageContaining("tensor 'x' is named twice");
    assertThatThrownBy(() -> ModelSignature.fromProperties(Map.of("format", "pickle")))
        .hasMessage("model format 'pickle' is not one of torchscript, onnx");
    assertThatThrownBy(() -> ModelSignature.fromProperties(Map.of("format", "onnx")))
        .hasMessage("model property 'inputs' is missing");
  }

  @Test
  void shouldKeepTensorElementsLittleEndianAndTyped() {
    Tensor floats = Tensor.ofFloats("f", new float[] {1.5f, -2}, 1, 2);
    Tensor longs = Tensor.ofLongs("l", new long[] {Long.MIN_VALUE, 7}, 2);
    Tensor bools = Tensor.ofBooleans("b", new boolean[] {true, false, true}, 3);

    assertThat(floats.bytes()).containsExactly(0, 0, (byte) 0xc0, 0x3f, 0, 0, 0, (byte) 0xc0);
    assertThat(floats.toFloats()).containsExactly(1.5f, -2);
    assertThat(longs.toLongs()).containsExactly(Long.MIN_VALUE, 7);
    assertThat(bools.toBooleans()).containsExactly(true, false, true);
    assertThat(Tensor.ofInts("i", new int[] {3}, 1).toInts()).containsExactly(3);
    assertThat(Tensor.ofDoubles("d", new double[] {0.25}).toDoubles()).containsExactly(0.25);
    assertThatThrownBy(() -> floats.toLongs()).hasMessage("tensor 'f' is FP32, not INT64");
    assertThatThrownBy(
            () ->
                new Tensor("x", TensorType.INT32, new long[] {2}, java.nio.ByteBuffer.allocate(4)))
        .hasMessage("tensor 'x' of INT32 [2] needs 8 bytes, has 4");
    assertThat(List.of(floats.rows(), longs.rows())).containsExactly(1L, 2L);
  }
}

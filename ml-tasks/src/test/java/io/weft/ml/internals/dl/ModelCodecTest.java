package io.weft.ml.internals.dl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.weft.common.WeftException;
import io.weft.ml.api.ModelSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelCodecTest {

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "cnn"})
  void shouldAnswerTheSameAfterSaveAndLoad(String architecture) {
    ModelSpec spec = new ModelSpec(architecture, new int[] {32}, 784, 10);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = spec.block();
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
      NDArray input = manager.randomUniform(0, 1, new Shape(3, 784));
      float[] before = forward(block, manager, input);
      ByteArrayOutputStream saved = new ByteArrayOutputStream();
      ModelCodec.save(block, saved);

      try (Model loaded =
          ModelCodec.load(
              "m",
              ModelSpec.fromProperties(spec.toProperties()),
              new ByteArrayInputStream(saved.toByteArray()))) {
        float[] after = forward(loaded.getBlock(), manager, input);
        assertThat(after).hasSize(30).containsExactly(before);
      }
    }
  }

  @Test
  void shouldNameTheArchitectureWhenParametersDoNotFit() {
    ModelSpec small = new ModelSpec("mlp", new int[] {8}, 16, 2);
    ByteArrayOutputStream saved = new ByteArrayOutputStream();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = small.block();
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
      ModelCodec.save(block, saved);
    }
    ModelSpec other = new ModelSpec("mlp", new int[] {4, 4}, 16, 2);

    assertThatThrownBy(
            () -> ModelCodec.load("m", other, new ByteArrayInputStream(saved.toByteArray())))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("Cannot load model 'm'")
        .hasMessageContaining("hidden=4,4");
  }

  @Test
  void shouldNameAMissingOrMalformedProperty() {
    assertThatThrownBy(() -> ModelSpec.fromProperties(Map.of("architecture", "mlp")))
        .hasMessageContaining("'hidden' is missing");
    assertThatThrownBy(
            () ->
                ModelSpec.fromProperties(
                    Map.of("architecture", "mlp", "hidden", "x", "width", "4", "classes", "2")))
        .hasMessageContaining("'hidden': 'x' is not a whole number");
    assertThatThrownBy(() -> new ModelSpec("rnn", new int[0], 4, 2))
        .hasMessageContaining("'rnn' is not one of mlp, cnn");
  }

  private static float[] forward(Block block, NDManager manager, NDArray input) {
    NDList out = block.forward(new ParameterStore(manager, false), new NDList(input), false);
    return out.singletonOrThrow().toFloatArray();
  }
}

package io.weft.ml.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelFormatTest {

  @Test
  void shouldTellTheFormatByTheFileNamesExtension() {
    assertThat(ModelFormat.ofFileName("net.pt")).contains(ModelFormat.TORCHSCRIPT);
    assertThat(ModelFormat.ofFileName("net.PTH")).contains(ModelFormat.TORCHSCRIPT);
    assertThat(ModelFormat.ofFileName("net.torchscript")).contains(ModelFormat.TORCHSCRIPT);
    assertThat(ModelFormat.ofFileName("net.onnx")).contains(ModelFormat.ONNX);
    assertThat(ModelFormat.ofFileName("net.params")).isEmpty();
  }

  @Test
  void shouldNameTheKnownFormatsWhenOneIsUnknown() {
    assertThatThrownBy(() -> ModelFormat.parse("tflite"))
        .hasMessage("model format 'tflite' is not one of torchscript, onnx");
  }
}

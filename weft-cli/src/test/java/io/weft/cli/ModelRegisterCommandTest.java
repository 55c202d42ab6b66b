package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.testkit.TinyModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft models register --file} refusing what it cannot serve, before it connects to
 * anything: the connection given leads nowhere.
 */
class ModelRegisterCommandTest {

  @TempDir Path dir;

  private static Cli.Result register(String... args) {
    String[] all = new String[args.length + 6];
    all[0] = "models";
    all[1] = "register";
    System.arraycopy(args, 0, all, 2, args.length);
    all[args.length + 2] = "--bootstrap-servers";
    all[args.length + 3] = "127.0.0.1:9";
    all[args.length + 4] = "--schema-registry-url";
    all[args.length + 5] = "http://127.0.0.1:9";
    return Cli.run(all);
  }

  @Test
  void shouldRefuseAFileThatIsNoModelNamingItAndExit2() {
    // given
    Path file = TinyModels.write(dir, "noise.onnx", "not a model".getBytes());

    // when
    Cli.Result result = register("noise", "--file", file.toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err())
        .startsWith("weft: model file " + file + " is not an ONNX model ONNX Runtime can load")
        .contains("nothing registered");
  }

  @Test
  void shouldAskForTheSignatureOfATorchScriptFile() {
    // given
    Path file = TinyModels.write(dir, "linear.pt", TinyModels.linearTorchScript());

    // when
    Cli.Result result = register("linear", "--file", file.toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("a torchscript model carries no typed signature");
  }

  @Test
  void shouldRefuseAnOutputThatIsNotWhatTheModelAnswers() {
    // given
    Path file = TinyModels.write(dir, "linear.pt", TinyModels.linearTorchScript());

    // when
    Cli.Result result =
        register(
            "linear",
            "--file",
            file.toString(),
            "--input",
            TinyModels.LINEAR_INPUTS,
            "--output",
            "y:FP64:-1,3");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err())
        .contains("model file " + file + " does not run on zeros of its declared inputs")
        .contains("output 'y' is FP32 [1, 3], it declares FP64 [-1, 3]");
  }

  @Test
  void shouldRefuseAnOnnxSignatureThatIsNotTheModels() {
    // given
    Path file = TinyModels.write(dir, "linear.onnx", TinyModels.linearOnnx());

    // when
    Cli.Result result = register("linear", "--file", file.toString(), "--input", "x:FP32:-1,3");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err())
        .contains("input 'x' is declared FP32 [-1, 3], the model's is FP32 [-1, 2]");
  }

  @Test
  void shouldAskForTheFormatOfAFileItCannotTellByName() {
    // given
    Path file = TinyModels.write(dir, "linear.bin", TinyModels.linearOnnx());

    // when
    Cli.Result unknown = register("linear", "--file", file.toString());
    Cli.Result wrong = register("linear", "--file", file.toString(), "--format", "tflite");
    Cli.Result badName = register("bad name", "--file", file.toString(), "--format", "onnx");

    // then
    assertThat(unknown.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(unknown.err()).contains("cannot tell the format of " + file).contains("--format");
    assertThat(wrong.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(wrong.err()).contains("model format 'tflite' is not one of torchscript, onnx");
    assertThat(badName.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(badName.err()).contains("Model name 'bad name' must match");
  }
}

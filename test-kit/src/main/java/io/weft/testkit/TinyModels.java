package io.weft.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small model files trained "elsewhere", written by plain Java so that tests need no download and
 * no Python: ONNX models (a few hundred bytes) and TorchScript archives (about 1.5 KB), each with
 * its signature in Weft's text form ({@code name:DATATYPE:shape}, {@code -1} for any size).
 *
 * <p>The linear models compute {@code y = x·Wᵀ + b} with {@code W = [[1, 2], [3, 4], [5, 6]]} and
 * {@code b = [0.5, -1, 2]}: {@link #linear} is the same in Java.
 */
public final class TinyModels {

  /** The linear models' input: {@code x} FP32 {@code [n, 2]}. */
  public static final String LINEAR_INPUTS = "x:FP32:-1,2";

  /** The linear models' output: {@code y} FP32 {@code [n, 3]}. */
  public static final String LINEAR_OUTPUTS = "y:FP32:-1,3";

  /** {@link #mixedOnnx()}'s inputs: FP64 values and INT64 counts. */
  public static final String MIXED_ONNX_INPUTS = "values:FP64:-1,2;counts:INT64:-1";

  /** {@link #mixedOnnx()}'s outputs: the values doubled, the counts plus one, counts > 0. */
  public static final String MIXED_ONNX_OUTPUTS =
      "doubled:FP64:-1,2;next:INT64:-1;positive:BOOL:-1";

  /** {@link #mixedTorchScript()}'s inputs: the linear model's and INT64 counts. */
  public static final String MIXED_TORCHSCRIPT_INPUTS = "x:FP32:-1,2;n:INT64:-1";

  /** {@link #mixedTorchScript()}'s outputs: the linear model's, the counts plus one, counts > 0. */
  public static final String MIXED_TORCHSCRIPT_OUTPUTS =
      "y:FP32:-1,3;next:INT64:-1;positive:BOOL:-1";

  private static final float[] WEIGHT = {1, 2, 3, 4, 5, 6};
  private static final float[] WEIGHT_TRANSPOSED = {1, 3, 5, 2, 4, 6};
  private static final float[] BIAS = {0.5f, -1, 2};

  private TinyModels() {}

  /** ONNX, MatMul and Add: {@value #LINEAR_INPUTS} to {@value #LINEAR_OUTPUTS}. */
  public static byte[] linearOnnx() {
    return new OnnxWriter("linear")
        .node("MatMul", new String[] {"x", "w"}, "xw")
        .node("Add", new String[] {"xw", "b"}, "y")
        .initializer("w", OnnxWriter.FLOAT, new long[] {2, 3}, OnnxWriter.floats(WEIGHT_TRANSPOSED))
        .initializer("b", OnnxWriter.FLOAT, new long[] {3}, OnnxWriter.floats(BIAS))
        .input("x", OnnxWriter.FLOAT, -1, 2)
        .output("y", OnnxWriter.FLOAT, -1, 3)
        .toBytes();
  }

  /**
   * ONNX of two inputs and three outputs: {@value #MIXED_ONNX_INPUTS} to {@value
   * #MIXED_ONNX_OUTPUTS}.
   */
  public static byte[] mixedOnnx() {
    return new OnnxWriter("mixed")
        .node("Add", new String[] {"values", "values"}, "doubled")
        .node("Add", new String[] {"counts", "one"}, "next")
        .node("Greater", new String[] {"counts", "zero"}, "positive")
        .initializer("one", OnnxWriter.INT64, new long[] {1}, OnnxWriter.longs(1))
        .initializer("zero", OnnxWriter.INT64, new long[] {1}, OnnxWriter.longs(0))
        .input("values", OnnxWriter.DOUBLE, -1, 2)
        .input("counts", OnnxWriter.INT64, -1)
        .output("doubled", OnnxWriter.DOUBLE, -1, 2)
        .output("next", OnnxWriter.INT64, -1)
        .output("positive", OnnxWriter.BOOL, -1)
        .toBytes();
  }

  /**
   * ONNX, Identity of {@code x [n]} to {@code y [n]} of one element type, named as Weft names it
   * ({@code BOOL}, {@code UINT8}, {@code INT8}, {@code INT16}, {@code INT32}, {@code INT64}, {@code
   * FP32}, {@code FP64}); INT16 is a type ONNX Runtime takes and DJL does not.
   */
  public static byte[] identityOnnx(String type) {
    int onnxType = OnnxWriter.type(type);
    return new OnnxWriter("identity")
        .node("Identity", new String[] {"x"}, "y")
        .input("x", onnxType, -1)
        .output("y", onnxType, -1)
        .toBytes();
  }

  /** TorchScript, {@code torch.clone(x)}: any one tensor to a copy of it. */
  public static byte[] identityTorchScript() {
    return new TorchScriptWriter(
            """
              def forward(self: __torch__.Model,
                x: Tensor) -> Tensor:
                return torch.clone(x)
            """)
        .toBytes();
  }

  /** TorchScript, {@code torch.linear}: {@value #LINEAR_INPUTS} to {@value #LINEAR_OUTPUTS}. */
  public static byte[] linearTorchScript() {
    return new TorchScriptWriter(
            """
              def forward(self: __torch__.Model,
                x: Tensor) -> Tensor:
                return torch.linear(x, self.weight, self.bias)
            """)
        .parameter("weight", WEIGHT, 3, 2)
        .parameter("bias", BIAS, 3)
        .toBytes();
  }

  /**
   * TorchScript of two inputs and a tuple of three outputs: {@value #MIXED_TORCHSCRIPT_INPUTS} to
   * {@value #MIXED_TORCHSCRIPT_OUTPUTS}.
   */
  public static byte[] mixedTorchScript() {
    return new TorchScriptWriter(
            """
              def forward(self: __torch__.Model,
                x: Tensor,
                n: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
                y = torch.linear(x, self.weight, self.bias)
                return (y, torch.add(n, 1), torch.gt(n, 0))
            """)
        .parameter("weight", WEIGHT, 3, 2)
        .parameter("bias", BIAS, 3)
        .toBytes();
  }

  /** What the linear models answer for {@code x}, {@code rows} rows of 2. */
  public static float[] linear(float[] x, int rows) {
    float[] y = new float[rows * 3];
    for (int row = 0; row < rows; row++) {
      for (int out = 0; out < 3; out++) {
        y[row * 3 + out] =
            x[row * 2] * WEIGHT[out * 2] + x[row * 2 + 1] * WEIGHT[out * 2 + 1] + BIAS[out];
      }
    }
    return y;
  }

  /** Writes {@code bytes} to {@code dir/fileName}, creating {@code dir}. */
  public static Path write(Path dir, String fileName, byte[] bytes) {
    try {
      Files.createDirectories(dir);
      return Files.write(dir.resolve(fileName), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + dir.resolve(fileName), e);
    }
  }
}

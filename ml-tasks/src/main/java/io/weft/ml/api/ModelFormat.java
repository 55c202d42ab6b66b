package io.weft.ml.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The model files from elsewhere Weft serves, and the runtime (DJL engine) that runs each. */
public enum ModelFormat {
  /** A TorchScript file ({@code torch.jit.save}), run by DJL's PyTorch engine. */
  TORCHSCRIPT("torchscript", "pytorch_torchscript", "PyTorch"),
  /** An ONNX file, run by DJL's ONNX Runtime engine. */
  ONNX("onnx", "onnxruntime_onnx", "OnnxRuntime");

  private final String id;
  private final String platform;
  private final String engine;

  ModelFormat(String id, String platform, String engine) {
    this.id = id;
    this.platform = platform;
    this.engine = engine;
  }

  /** The name in the {@code format} property and on the command line. */
  public String id() {
    return id;
  }

  /** The platform the v2 model metadata names, as Triton names it. */
  public String platform() {
    return platform;
  }

  /** The DJL engine that runs it. */
  public String engine() {
    return engine;
  }

  /**
   * The format named {@code id}.
   *
   * @throws IllegalArgumentException naming the known formats
   */
  public static ModelFormat parse(String id) {
    for (ModelFormat format : values()) {
      if (format.id.equals(id)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "model format '"
            + id
            + "' is not one of "
            + Arrays.stream(values()).map(ModelFormat::id).collect(Collectors.joining(", ")));
  }
}

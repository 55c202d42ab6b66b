package io.weft.ml.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The model files from elsewhere Weft serves, and the runtime (DJL engine) that runs each. */
public enum ModelFormat {
  /** A TorchScript file ({@code torch.jit.save}), run by DJL's PyTorch engine. */
  TORCHSCRIPT("torchscript", "pytorch_torchscript", "PyTorch", ".pt", ".pth", ".torchscript"),
  /** An ONNX file, run by DJL's ONNX Runtime engine. */
  ONNX("onnx", "onnxruntime_onnx", "OnnxRuntime", ".onnx");

  private final String id;
  private final String platform;
  private final String engine;
  private final List<String> extensions;

  ModelFormat(String id, String platform, String engine, String... extensions) {
    this.id = id;
    this.platform = platform;
    this.engine = engine;
    this.extensions = List.of(extensions);
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

  /** The file name extensions of the format, the usual one first, e.g. {@code .pt}. */
  public List<String> extensions() {
    return extensions;
  }

  /**
   * The format a file's name says by its extension ({@code .pt}, {@code .pth}, {@code
   * .torchscript}, {@code .onnx}, in any case), if it says one.
   */
  public static Optional<ModelFormat> ofFileName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(format -> format.extensions.stream().anyMatch(lower::endsWith))
        .findFirst();
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

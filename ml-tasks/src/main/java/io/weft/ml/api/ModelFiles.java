package io.weft.ml.api;

import io.weft.ml.internals.dl.DjlModelFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Model files trained elsewhere, TorchScript or ONNX, served through DJL. An ONNX model carries its
 * signature (read from the file; a declared one must match it), a TorchScript model none (it must
 * be declared). Inputs and outputs are of the types both engines take: BOOL, UINT8, INT8, INT32,
 * INT64, FP32 and FP64.
 */
public final class ModelFiles {

  private ModelFiles() {}

  /**
   * Loads {@code file} as a model of {@code format}; the caller closes it.
   *
   * @param inputs the declared inputs; empty to take an ONNX model's own
   * @param outputs the declared outputs; empty to take an ONNX model's own
   * @param what names the model in errors, e.g. {@code model file net.onnx}
   * @throws ModelFileException naming {@code what} if the file does not load, a declared signature
   *     does not match the model's, a TorchScript model's is missing, or a tensor is of a type the
   *     engine cannot take
   */
  public static Servable load(
      Path file,
      ModelFormat format,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs,
      String what) {
    return DjlModelFile.load(file, format, inputs, outputs, what);
  }

  /**
   * Runs {@code servable} once on zeros of its declared inputs, a dimension of any size as 1, and
   * answers what it answered: a check that a model runs and answers what it declares before it is
   * registered.
   *
   * @throws ModelFileException naming {@code what} and the reason if it fails
   */
  public static List<Tensor> tryOnce(Servable servable, String what) {
    List<Tensor> zeros = servable.inputs().stream().map(ModelFiles::zeros).toList();
    try {
      return servable.infer(zeros);
    } catch (RuntimeException e) {
      throw new ModelFileException(
          what
              + " does not run on zeros of its declared inputs ("
              + ModelSignature.format(servable.inputs())
              + ", any size as 1): "
              + e.getMessage(),
          e);
    }
  }

  private static Tensor zeros(TensorSpec spec) {
    long[] shape = Arrays.stream(spec.shape()).map(size -> size == -1 ? 1 : size).toArray();
    int bytes = Math.toIntExact(Tensor.elements(shape) * spec.type().bytes());
    return new Tensor(spec.name(), spec.type(), shape, ByteBuffer.allocate(bytes));
  }
}

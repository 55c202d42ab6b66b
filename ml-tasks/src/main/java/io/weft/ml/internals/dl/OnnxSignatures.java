package io.weft.ml.internals.dl;

import ai.djl.engine.Engine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.weft.ml.api.ModelFileException;
import io.weft.ml.api.ModelFormat;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.TensorSpec;
import io.weft.ml.api.TensorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The signature an ONNX model declares, as ONNX Runtime reads it: each graph input and output with
 * its element type and shape, a symbolic dimension ({@code batch}, {@code N}) as {@code -1}. ONNX
 * Runtime is asked directly because DJL names an ONNX model's inputs but not their types and does
 * not describe its outputs; this opens the file in a session of its own, without graph
 * optimizations, once at load.
 */
final class OnnxSignatures {

  private OnnxSignatures() {}

  /**
   * Reads the signature of the ONNX model in {@code file}.
   *
   * @throws ModelFileException naming {@code what} if ONNX Runtime cannot open it, or a tensor is
   *     of a type Weft does not serve or is not a tensor at all (a sequence or a map)
   */
  static ModelSignature read(Path file, String what) {
    // DJL's engine creates ONNX Runtime's one environment, with its thread pools, and fails if
    // one exists already: start it first, then share its environment
    Engine.getEngine(ModelFormat.ONNX.engine());
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession session = environment.createSession(file.toString(), options)) {
        List<String> problems = new ArrayList<>();
        List<TensorSpec> inputs = specs(session.getInputInfo(), "input", problems);
        List<TensorSpec> outputs = specs(session.getOutputInfo(), "output", problems);
        if (!problems.isEmpty()) {
          throw new ModelFileException(what + " cannot be served: " + String.join("; ", problems));
        }
        return new ModelSignature(ModelFormat.ONNX.platform(), inputs, outputs);
      }
    } catch (OrtException e) {
      throw new ModelFileException(
          what + " is not an ONNX model ONNX Runtime can load: " + e.getMessage(), e);
    }
  }

  private static List<TensorSpec> specs(
      Map<String, NodeInfo> nodes, String kind, List<String> problems) {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo node : nodes.values()) {
      if (!(node.getInfo() instanceof TensorInfo tensor)) {
        problems.add(kind + " '" + node.getName() + "' is not a tensor but " + node.getInfo());
        continue;
      }
      TensorType type = type(tensor.onnxType);
      if (type == null) {
        problems.add(
            kind
                + " '"
                + node.getName()
                + "' is "
                + tensor.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "")
                + "; Weft serves "
                + TensorType.names());
        continue;
      }
      long[] shape = tensor.getShape();
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shape[i] > 0 ? shape[i] : -1;
      }
      specs.add(new TensorSpec(node.getName(), type, shape));
    }
    return specs;
  }

  private static TensorType type(TensorInfo.OnnxTensorType type) {
    return switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> TensorType.BOOL;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> TensorType.UINT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> TensorType.UINT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> TensorType.UINT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> TensorType.UINT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> TensorType.INT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> TensorType.INT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> TensorType.INT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> TensorType.INT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> TensorType.FP32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> TensorType.FP64;
      default -> null;
    };
  }
}

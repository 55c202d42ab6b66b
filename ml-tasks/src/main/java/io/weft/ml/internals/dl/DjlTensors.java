package io.weft.ml.internals.dl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tensors to DJL arrays and back, copying raw little-endian bytes. DJL's PyTorch and ONNX Runtime
 * engines both take and answer the types of {@link #SUPPORTED}; the other unsigned types and INT16
 * have a DJL {@link DataType} that neither engine converts (PyTorch's JNI aborts on them), so a
 * signature naming them is refused before anything runs.
 */
final class DjlTensors {

  private static final Map<TensorType, DataType> TYPES = new EnumMap<>(TensorType.class);

  static {
    TYPES.put(TensorType.BOOL, DataType.BOOLEAN);
    TYPES.put(TensorType.UINT8, DataType.UINT8);
    TYPES.put(TensorType.INT8, DataType.INT8);
    TYPES.put(TensorType.INT32, DataType.INT32);
    TYPES.put(TensorType.INT64, DataType.INT64);
    TYPES.put(TensorType.FP32, DataType.FLOAT32);
    TYPES.put(TensorType.FP64, DataType.FLOAT64);
  }

  /** The tensor types the engines take and answer. */
  static final Set<TensorType> SUPPORTED = Collections.unmodifiableSet(TYPES.keySet());

  private DjlTensors() {}

  /** The supported types, comma-separated, for messages. */
  static String supportedNames() {
    return SUPPORTED.stream().map(Enum::name).collect(Collectors.joining(", "));
  }

  /** An array of {@code tensor}'s type, shape and elements, in {@code manager}. */
  static NDArray toArray(NDManager manager, Tensor tensor) {
    DataType type = TYPES.get(tensor.type());
    if (type == null) {
      throw new IllegalArgumentException(
          "tensor '" + tensor.name() + "' is " + tensor.type() + "; DJL takes " + supportedNames());
    }
    return manager.create(tensor.data(), new Shape(tensor.shape()), type);
  }

  /** The tensor type of a DJL data type, or null if Weft does not serve it. */
  static TensorType typeOf(DataType type) {
    for (Map.Entry<TensorType, DataType> entry : TYPES.entrySet()) {
      if (entry.getValue() == type) {
        return entry.getKey();
      }
    }
    return null;
  }

  /** A copy of {@code array}'s elements as tensor {@code name} of type {@code type}. */
  static Tensor toTensor(String name, TensorType type, NDArray array) {
    ByteBuffer raw = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer copy = ByteBuffer.allocate(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(raw).flip();
    return new Tensor(name, type, array.getShape().getShape(), copy);
  }
}

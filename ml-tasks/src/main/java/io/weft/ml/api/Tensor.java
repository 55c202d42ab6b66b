package io.weft.ml.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor: its element type, its shape and its elements in raw form, row-major and
 * little-endian (the layout of the Open Inference Protocol's binary data and of gRPC's {@code
 * raw_input_contents}), so moving a tensor between a request, a batch and a model copies bytes, not
 * numbers.
 *
 * @param data exactly {@code elements() * type.bytes()} bytes from its position; never modified
 */
public record Tensor(String name, TensorType type, long[] shape, ByteBuffer data) {

  public Tensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = shape.clone();
    long bytes = elements(shape) * type.bytes();
    if (data.remaining() != bytes) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' of "
              + type
              + " "
              + Arrays.toString(shape)
              + " needs "
              + bytes
              + " bytes, has "
              + data.remaining());
    }
    data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The elements, read-only and little-endian, from position 0. */
  @Override
  public ByteBuffer data() {
    return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The number of elements: the product of the shape's dimensions (1 for a scalar). */
  public long elements() {
    return elements(shape);
  }

  /** The size of the first dimension (the batch), or 1 for a scalar. */
  public long rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** The elements as raw bytes, a copy. */
  public byte[] bytes() {
    byte[] bytes = new byte[data.remaining()];
    data.duplicate().get(bytes);
    return bytes;
  }

  /** The same tensor under another name. */
  public Tensor named(String newName) {
    return new Tensor(newName, type, shape, data);
  }

  public static long elements(long[] shape) {
    long count = 1;
    for (long size : shape) {
      count = Math.multiplyExact(count, size);
    }
    return count;
  }

  public static Tensor ofFloats(String name, float[] values, long... shape) {
    ByteBuffer data = allocate(values.length, TensorType.FP32);
    data.asFloatBuffer().put(values);
    return new Tensor(name, TensorType.FP32, shape, data);
  }

  public static Tensor ofDoubles(String name, double[] values, long... shape) {
    ByteBuffer data = allocate(values.length, TensorType.FP64);
    data.asDoubleBuffer().put(values);
    return new Tensor(name, TensorType.FP64, shape, data);
  }

  public static Tensor ofInts(String name, int[] values, long... shape) {
    ByteBuffer data = allocate(values.length, TensorType.INT32);
    data.asIntBuffer().put(values);
    return new Tensor(name, TensorType.INT32, shape, data);
  }

  public static Tensor ofLongs(String name, long[] values, long... shape) {
    ByteBuffer data = allocate(values.length, TensorType.INT64);
    data.asLongBuffer().put(values);
    return new Tensor(name, TensorType.INT64, shape, data);
  }

  public static Tensor ofBooleans(String name, boolean[] values, long... shape) {
    ByteBuffer data = allocate(values.length, TensorType.BOOL);
    for (boolean value : values) {
      data.put((byte) (value ? 1 : 0));
    }
    data.flip();
    return new Tensor(name, TensorType.BOOL, shape, data);
  }

  /** The elements of an FP32 tensor. */
  public float[] toFloats() {
    require(TensorType.FP32);
    float[] values = new float[(int) elements()];
    data().asFloatBuffer().get(values);
    return values;
  }

  /** The elements of an FP64 tensor. */
  public double[] toDoubles() {
    require(TensorType.FP64);
    double[] values = new double[(int) elements()];
    data().asDoubleBuffer().get(values);
    return values;
  }

  /** The elements of an INT32 tensor. */
  public int[] toInts() {
    require(TensorType.INT32);
    int[] values = new int[(int) elements()];
    data().asIntBuffer().get(values);
    return values;
  }

  /** The elements of an INT64 tensor. */
  public long[] toLongs() {
    require(TensorType.INT64);
    long[] values = new long[(int) elements()];
    data().asLongBuffer().get(values);
    return values;
  }

  /** The elements of a BOOL tensor. */
  public boolean[] toBooleans() {
    require(TensorType.BOOL);
    boolean[] values = new boolean[(int) elements()];
    ByteBuffer bytes = data();
    for (int i = 0; i < values.length; i++) {
      values[i] = bytes.get(i) != 0;
    }
    return values;
  }

  private void require(TensorType expected) {
    if (type != expected) {
      throw new IllegalStateException("tensor '" + name + "' is " + type + ", not " + expected);
    }
  }

  private static ByteBuffer allocate(int elements, TensorType type) {
    return ByteBuffer.allocate(elements * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor other
        && name.equals(other.name)
        && type == other.type
        && Arrays.equals(shape, other.shape)
        && data.equals(other.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(shape), data);
  }

  @Override
  public String toString() {
    return "Tensor[" + name + " " + type + " " + Arrays.toString(shape) + "]";
  }
}

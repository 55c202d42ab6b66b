package io.weft.ml.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a model declares of one of its inputs or outputs: its name, element type and shape, where
 * {@code -1} is a dimension of any size (the batch dimension, first, in most models).
 */
public record TensorSpec(String name, TensorType type, long[] shape) {

  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a tensor's name must not be blank");
    }
    for (long size : shape) {
      if (size < -1 || size == 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': dimension " + size + " is neither positive nor -1 (any size)");
      }
    }
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Whether the first dimension is of any size, so requests can be stacked along it. */
  public boolean isBatched() {
    return shape.length > 0 && shape[0] == -1;
  }

  /**
   * Whether {@code actual} fits this shape: as many dimensions, each equal or declared {@code -1}.
   */
  public boolean accepts(long[] actual) {
    if (actual.length != shape.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] != -1 && shape[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec other
        && name.equals(other.name)
        && type == other.type
        && Arrays.equals(shape, other.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + " " + type + " " + Arrays.toString(shape);
  }
}

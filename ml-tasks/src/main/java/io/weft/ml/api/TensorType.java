package io.weft.ml.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types of a tensor, by their Open Inference Protocol v2 names. Every type's raw form
 * is little-endian, {@link #bytes()} bytes per element; {@code BOOL} is one byte, 0 or 1.
 */
public enum TensorType {
  BOOL(1),
  UINT8(1),
  UINT16(2),
  UINT32(4),
  UINT64(8),
  INT8(1),
  INT16(2),
  INT32(4),
  INT64(8),
  FP32(4),
  FP64(8);

  private final int bytes;

  TensorType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element in the raw, little-endian form. */
  public int bytes() {
    return bytes;
  }

  /** Whether elements are floating point. */
  public boolean isFloatingPoint() {
    return this == FP32 || this == FP64;
  }

  /**
   * The type named {@code name} in the protocol.
   *
   * @throws IllegalArgumentException naming the known types if there is none
   */
  public static TensorType parse(String name) {
    for (TensorType type : values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "datatype '" + name + "' is not one of " + names() + " (FP16 and BYTES are not served)");
  }

  /** The names of all types, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}

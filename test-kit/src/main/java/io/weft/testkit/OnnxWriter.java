package io.weft.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes an ONNX model (a protobuf {@code ModelProto}) field by field, without a protobuf library:
 * enough for the small graphs of {@link TinyModels}.
 */
final class OnnxWriter {

  /** ONNX's element types ({@code TensorProto.DataType}). */
  static final int FLOAT = 1;

  static final int INT64 = 7;
  static final int BOOL = 9;
  static final int DOUBLE = 11;

  private static final Map<String, Integer> TYPES =
      Map.of(
          "FP32", FLOAT, "UINT8", 2, "INT8", 3, "UINT16", 4, "INT16", 5, "INT32", 6, "INT64", INT64,
          "BOOL", BOOL, "FP64", DOUBLE);

  private final Message graph = new Message();

  OnnxWriter(String name) {
    graph.text(2, name);
  }

  /** The ONNX element type of a type named as Weft names it, e.g. {@code FP32}. */
  static int type(String name) {
    Integer type = TYPES.get(name);
    if (type == null) {
      throw new IllegalArgumentException(
          "no ONNX type for '" + name + "'; known: " + TYPES.keySet());
    }
    return type;
  }

  /** A node {@code outputs = opType(inputs)}. */
  OnnxWriter node(String opType, String[] inputs, String... outputs) {
    Message node = new Message();
    for (String input : inputs) {
      node.text(1, input);
    }
    for (String output : outputs) {
      node.text(2, output);
    }
    graph.message(1, node.text(3, opType + "-" + outputs[0]).text(4, opType));
    return this;
  }

  /** A constant tensor, its elements raw little-endian. */
  OnnxWriter initializer(String name, int type, long[] dims, byte[] raw) {
    Message tensor = new Message();
    for (long dim : dims) {
      tensor.number(1, dim);
    }
    graph.message(5, tensor.number(2, type).text(8, name).bytes(9, raw));
    return this;
  }

  /** A graph input; a dimension of -1 is named {@code N} (any size). */
  OnnxWriter input(String name, int type, long... dims) {
    graph.message(11, valueInfo(name, type, dims));
    return this;
  }

  OnnxWriter output(String name, int type, long... dims) {
    graph.message(12, valueInfo(name, type, dims));
    return this;
  }

  /** The model: IR version 8, opset 13. */
  byte[] toBytes() {
    return new Message()
        .number(1, 8)
        .text(2, "weft-test-kit")
        .message(7, graph)
        .message(8, new Message().number(2, 13))
        .toBytes();
  }

  static byte[] floats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    return buffer.array();
  }

  static byte[] longs(long... values) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      buffer.putLong(value);
    }
    return buffer.array();
  }

  private static Message valueInfo(String name, int type, long[] dims) {
    Message shape = new Message();
    for (long dim : dims) {
      shape.message(1, dim < 0 ? new Message().text(2, "N") : new Message().number(1, dim));
    }
    Message tensorType = new Message().number(1, type).message(2, shape);
    return new Message().text(1, name).message(2, new Message().message(1, tensorType));
  }

  /** A protobuf message in the wire format: varints and length-delimited fields. */
  private static final class Message {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Message number(int field, long value) {
      varint(((long) field << 3));
      varint(value);
      return this;
    }

    Message bytes(int field, byte[] value) {
      varint(((long) field << 3) | 2);
      varint(value.length);
      out.writeBytes(value);
      return this;
    }

    Message text(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Message message(int field, Message value) {
      return bytes(field, value.toBytes());
    }

    byte[] toBytes() {
      return out.toByteArray();
    }

    private void varint(long value) {
      long rest = value;
      while ((rest & ~0x7FL) != 0) {
        out.write((int) ((rest & 0x7F) | 0x80));
        rest >>>= 7;
      }
      out.write((int) rest);
    }
  }
}

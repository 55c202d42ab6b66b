package io.weft.serving.internals;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.ml.api.TensorType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The {@code data} of a v2 JSON tensor, flat or nested, read into raw little-endian elements of its
 * datatype, each checked to be a value of that type: a finite number in range for {@code FP32} and
 * {@code FP64}, a whole number in range for the integer types, {@code true} or {@code false} for
 * {@code BOOL}.
 */
final class JsonTensorData {

  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** The most allocated for an input's values before they are read. */
  static final int FIRST_ALLOCATION = 64 * 1024;

  private JsonTensorData() {}

  /**
   * Reads exactly {@code count} elements of {@code type} from {@code data}.
   *
   * @throws HttpProblem 400 naming the input ({@code where}) and the first element that does not
   *     fit
   */
  static ByteBuffer read(JsonNode data, TensorType type, String where, int count, long[] shape) {
    if (data == null || !data.isArray()) {
      throw HttpProblem.badRequest(
          where
              + " has no 'data' (an array of "
              + count
              + (type == TensorType.BOOL ? " booleans" : " numbers")
              + ", flat or nested)");
    }
    // grown as values arrive: a shape a few bytes long must not allocate what it claims
    long full = (long) count * type.bytes();
    ByteBuffer values =
        ByteBuffer.allocate((int) Math.min(full, FIRST_ALLOCATION)).order(ByteOrder.LITTLE_ENDIAN);
    int n = 0;
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(data);
    List<JsonNode> reversed = new ArrayList<>();
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isArray()) {
        reversed.clear();
        node.forEach(reversed::add);
        for (int i = reversed.size() - 1; i >= 0; i--) {
          pending.push(reversed.get(i));
        }
        continue;
      }
      if (n == count) {
        throw HttpProblem.badRequest(
            where
                + " has more than "
                + count
                + " values in 'data', but its shape "
                + InferRequestParser.format(shape)
                + " holds "
                + count);
      }
      if (values.remaining() < type.bytes()) {
        values = grow(values, full);
      }
      put(values, type, node, where);
      n++;
    }
    if (n != count) {
      throw HttpProblem.badRequest(
          where
              + " has "
              + n
              + " values in 'data', but its shape "
              + InferRequestParser.format(shape)
              + " holds "
              + count);
    }
    return values.flip();
  }

  private static ByteBuffer grow(ByteBuffer values, long full) {
    ByteBuffer larger =
        ByteBuffer.allocate((int) Math.min(full, 2L * values.capacity()))
            .order(ByteOrder.LITTLE_ENDIAN);
    return larger.put(values.flip());
  }

  private static void put(ByteBuffer values, TensorType type, JsonNode node, String where) {
    if (type == TensorType.BOOL) {
      if (!node.isBoolean()) {
        throw notOfType(node, type, where, "true or false only");
      }
      values.put((byte) (node.asBoolean() ? 1 : 0));
      return;
    }
    if (!node.isNumber()) {
      throw notOfType(node, type, where, "numbers only");
    }
    switch (type) {
      case FP32 -> {
        float value = node.floatValue();
        if (!Float.isFinite(value)) {
          throw outOfRange(node, type, where);
        }
        values.putFloat(value);
      }
      case FP64 -> {
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
          throw outOfRange(node, type, where);
        }
        values.putDouble(value);
      }
      default -> putInteger(values, type, node, where);
    }
  }

  private static void putInteger(ByteBuffer values, TensorType type, JsonNode node, String where) {
    if (!node.isIntegralNumber()) {
      throw notOfType(node, type, where, "whole numbers only");
    }
    BigInteger value = node.bigIntegerValue();
    BigInteger min;
    BigInteger max;
    if (type == TensorType.UINT64) {
      min = BigInteger.ZERO;
      max = UINT64_MAX;
    } else if (type.name().startsWith("U")) {
      min = BigInteger.ZERO;
      max = BigInteger.ONE.shiftLeft(type.bytes() * 8).subtract(BigInteger.ONE);
    } else {
      max = BigInteger.ONE.shiftLeft(type.bytes() * 8 - 1).subtract(BigInteger.ONE);
      min = max.negate().subtract(BigInteger.ONE);
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw outOfRange(node, type, where);
    }
    long bits = value.longValue(); // two's complement: the low bytes are the element
    switch (type.bytes()) {
      case 1 -> values.put((byte) bits);
      case 2 -> values.putShort((short) bits);
      case 4 -> values.putInt((int) bits);
      default -> values.putLong(bits);
    }
  }

  private static HttpProblem notOfType(JsonNode node, TensorType type, String where, String what) {
    return HttpProblem.badRequest(
        where
            + " has "
            + kind(node)
            + " "
            + abbreviate(node.toString())
            + " in 'data'; "
            + type
            + " data holds "
            + what);
  }

  private static HttpProblem outOfRange(JsonNode node, TensorType type, String where) {
    return HttpProblem.badRequest(
        where + " has " + abbreviate(node.asText()) + " in 'data', out of " + type + " range");
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case NUMBER -> "a number";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}

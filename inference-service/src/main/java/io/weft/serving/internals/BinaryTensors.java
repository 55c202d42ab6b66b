package io.weft.serving.internals;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.ml.api.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The raw data of v2 tensors in a request's binary section: little-endian, row-major. */
final class BinaryTensors {

  private BinaryTensors() {}

  /**
   * Reads an input's {@code count} elements of {@code type} from {@code binary}, which it advances,
   * after checking its {@code binary_data_size} against its shape and the bytes left.
   *
   * @throws HttpProblem 400 naming the input if the size is not a whole number, does not match the
   *     shape, exceeds what is left, if the input also has {@code data}, or if an element is not a
   *     value of its type (a floating-point value that is not finite, a boolean other than 0 or 1)
   */
  static ByteBuffer read(
      JsonNode size,
      JsonNode data,
      ByteBuffer binary,
      TensorType type,
      String where,
      int count,
      long[] shape) {
    if (data != null) {
      throw HttpProblem.badRequest(
          where + " has both 'data' and parameters.binary_data_size; send one of them");
    }
    if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw HttpProblem.badRequest(
          where + " has binary_data_size " + abbreviate(size.toString()) + ", not a byte count");
    }
    long expected = (long) count * type.bytes();
    if (size.asLong() != expected) {
      throw HttpProblem.badRequest(
          where
              + " has binary_data_size "
              + size.asLong()
              + ", but its shape "
              + InferRequestParser.format(shape)
              + " of "
              + type
              + " takes "
              + expected
              + " bytes");
    }
    if (binary.remaining() < expected) {
      throw HttpProblem.badRequest(
          where
              + " declares "
              + expected
              + " bytes of binary data, but only "
              + binary.remaining()
              + " follow the JSON header");
    }
    ByteBuffer values = binary.slice().limit((int) expected).order(ByteOrder.LITTLE_ENDIAN);
    binary.position(binary.position() + (int) expected);
    check(values, type, where, count, "its binary data");
    return values;
  }

  /**
   * Checks that every element of {@code values}, {@code count} of {@code type}, is a value of its
   * type.
   *
   * @param field where the values were, for the message
   * @throws HttpProblem 400 naming the input ({@code where}) and the first element that is not
   */
  static void check(ByteBuffer values, TensorType type, String where, int count, String field) {
    if (!type.isFloatingPoint() && type != TensorType.BOOL) {
      return; // every bit pattern is a value
    }
    for (int i = 0; i < count; i++) {
      String bad =
          switch (type) {
            case FP32 -> Float.isFinite(values.getFloat(i * 4)) ? null : "a finite FP32";
            case FP64 -> Double.isFinite(values.getDouble(i * 8)) ? null : "a finite FP64";
            case BOOL -> (values.get(i) & 0xff) <= 1 ? null : "a BOOL (0 or 1)";
            default -> null;
          };
      if (bad != null) {
        Object value =
            switch (type) {
              case FP32 -> values.getFloat(i * 4);
              case FP64 -> values.getDouble(i * 8);
              default -> values.get(i);
            };
        throw HttpProblem.badRequest(
            where + " has " + value + " at index " + i + " of " + field + ", not " + bad);
      }
    }
  }

  /**
   * The outputs of {@code all} a request wants as raw bytes: every one with {@code
   * parameters.binary_data_output: true}, and those its {@code outputs} list with {@code
   * parameters.binary_data: true}; an output's own {@code binary_data} overrides the request's.
   *
   * @throws HttpProblem 400 if either flag is not a boolean, or an output is not one of {@code all}
   */
  static Set<String> binaryOutputs(JsonNode root, List<String> all) {
    Set<String> binary = new HashSet<>();
    JsonNode everything = root.path("parameters").get("binary_data_output");
    if (everything != null) {
      if (!everything.isBoolean()) {
        throw HttpProblem.badRequest("parameters.binary_data_output must be true or false");
      }
      if (everything.asBoolean()) {
        binary.addAll(all);
      }
    }
    JsonNode outputs = root.get("outputs");
    if (outputs == null) {
      return binary;
    }
    if (!outputs.isArray()) {
      throw HttpProblem.badRequest("'outputs' must be an array of {name, parameters}");
    }
    for (JsonNode output : outputs) {
      String name = output.path("name").asText(null);
      if (name == null || !all.contains(name)) {
        throw HttpProblem.badRequest(
            "'outputs' names "
                + (name == null ? "no output" : "'" + abbreviate(name) + "'")
                + "; the outputs are "
                + String.join(", ", all));
      }
      JsonNode flag = output.path("parameters").get("binary_data");
      if (flag != null && !flag.isBoolean()) {
        throw HttpProblem.badRequest("output '" + name + "' has binary_data that is not a boolean");
      }
      if (flag != null && flag.asBoolean()) {
        binary.add(name);
      } else if (flag != null) {
        binary.remove(name); // an output's own flag overrides binary_data_output
      }
    }
    return binary;
  }

  /**
   * The outputs a request wants, in the model's order: those its {@code outputs} list names, or all
   * of them if it has none.
   *
   * @throws HttpProblem 400 if an entry names no output of the model
   */
  static List<String> requestedOutputs(JsonNode root, List<String> all) {
    JsonNode outputs = root.get("outputs");
    if (outputs == null || !outputs.isArray() || outputs.isEmpty()) {
      return all;
    }
    Set<String> named = new HashSet<>();
    outputs.forEach(output -> named.add(output.path("name").asText(null)));
    return all.stream().filter(named::contains).toList();
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}

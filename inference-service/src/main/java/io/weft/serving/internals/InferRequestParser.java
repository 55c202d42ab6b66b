package io.weft.serving.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.ml.api.ModelSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads and checks an Open Inference Protocol v2 request body against a model's input: exactly one
 * input, datatype FP32, shape {@code [n, width]} (or {@code [width]} for one row), at most {@code
 * maxBatch} rows, and as many finite FP32 numbers in {@code data} (flat or nested) as the shape
 * holds. Every problem is a {@link HttpProblem} that names what was expected: 413 ({@link
 * Refusal#TENSOR_TOO_LARGE}) for an input over the limits, 400 for anything else.
 */
public final class InferRequestParser {

  public static final String DATATYPE = "FP32";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final int maxBatch;
  private final int maxRequestBytes;

  /** A parser of bodies of any size, at most {@code maxBatch} rows. */
  public InferRequestParser(int maxBatch) {
    this(maxBatch, Integer.MAX_VALUE);
  }

  /**
   * @param maxBatch the most rows an input may have ({@code serve.max.batch})
   * @param maxRequestBytes the largest body ({@code serve.max.request.bytes}): an input's shape may
   *     hold at most half as many values, as many as such a body can carry
   */
  public InferRequestParser(int maxBatch, int maxRequestBytes) {
    this.maxBatch = maxBatch;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** Parses {@code body}, a JSON request for model {@code model} of architecture {@code spec}. */
  public InferRequest parse(byte[] body, String model, ModelSpec spec) {
    return parse(BinaryBody.json(body), model, spec);
  }

  /**
   * Parses {@code body}, a request for model {@code model} of architecture {@code spec} whose
   * inputs carry their data in its JSON or, with {@code parameters.binary_data_size}, in its binary
   * section.
   */
  public InferRequest parse(BinaryBody body, String model, ModelSpec spec) {
    JsonNode root = readJson(body.json());
    if (!root.isObject()) {
      throw HttpProblem.badRequest(
          "request body must be a JSON object {\"inputs\": [...]}, got " + kind(root));
    }
    JsonNode idNode = root.get("id");
    if (idNode != null && !idNode.isNull() && !idNode.isTextual()) {
      throw HttpProblem.badRequest("'id' must be a string, got " + kind(idNode));
    }
    String id = idNode == null || idNode.isNull() ? null : idNode.asText();
    JsonNode inputs = root.get("inputs");
    String expected = expectedShape(spec);
    if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
      throw HttpProblem.badRequest(
          "expected exactly one input in 'inputs', got "
              + (inputs == null ? "none" : inputs.isArray() ? inputs.size() : kind(inputs))
              + "; model '"
              + model
              + "' takes one FP32 input of shape "
              + expected);
    }
    ByteBuffer binary = body.binary().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    InferRequest parsed = input(inputs.get(0), id, model, spec, expected, binary);
    InferRequest request =
        new InferRequest(
            parsed.id(),
            parsed.inputName(),
            parsed.rows(),
            parsed.features(),
            BinaryTensors.binaryOutputs(root, V2Json.OUTPUTS));
    if (binary.hasRemaining()) {
      throw HttpProblem.badRequest(
          "the body has "
              + binary.remaining()
              + " bytes after the inputs' binary data; binary_data_size must account for every"
              + " byte after the JSON header");
    }
    return request;
  }

  private InferRequest input(
      JsonNode input, String id, String model, ModelSpec spec, String expected, ByteBuffer binary) {
    if (!input.isObject()) {
      throw HttpProblem.badRequest("input must be an object {name, shape, datatype, data}");
    }
    String name = input.path("name").isTextual() ? input.get("name").asText() : null;
    if (name == null) {
      throw HttpProblem.badRequest("input has no 'name' (a string)");
    }
    String where = "input '" + abbreviate(name) + "'";
    JsonNode datatype = input.get("datatype");
    if (datatype == null || !DATATYPE.equals(datatype.asText(null))) {
      throw HttpProblem.badRequest(
          where
              + " has datatype "
              + (datatype == null
                  ? "none"
                  : abbreviate(datatype.isTextual() ? datatype.asText() : datatype.toString()))
              + "; expected datatype "
              + DATATYPE);
    }
    long[] shape = shape(input.get("shape"), where);
    boolean single = shape.length == 1;
    if ((shape.length != 1 && shape.length != 2) || shape[shape.length - 1] != spec.width()) {
      throw HttpProblem.badRequest(
          where
              + " has shape "
              + format(shape)
              + "; model '"
              + model
              + "' expects "
              + expected
              + " (or ["
              + spec.width()
              + "] for one row)");
    }
    long rows = single ? 1 : shape[0];
    if (rows < 1) {
      throw HttpProblem.badRequest(where + " has shape " + format(shape) + ", which has no rows");
    }
    if (rows > maxBatch) {
      throw new HttpProblem(
          Refusal.TENSOR_TOO_LARGE,
          where
              + " has "
              + rows
              + " rows, more than serve.max.batch allows ("
              + maxBatch
              + "); send smaller batches");
    }
    // a value takes at least two bytes of the body: a digit and a comma
    long count = rows * spec.width();
    int maxValues = maxRequestBytes / 2;
    if (count > maxValues) {
      throw new HttpProblem(
          Refusal.TENSOR_TOO_LARGE,
          where
              + " has shape "
              + format(shape)
              + ", "
              + count
              + " values, more than a body of serve.max.request.bytes ("
              + maxRequestBytes
              + " bytes) can hold ("
              + maxValues
              + "); send smaller batches");
    }
    JsonNode binarySize = input.path("parameters").get("binary_data_size");
    float[] features =
        binarySize == null
            ? data(input.get("data"), where, (int) count, shape)
            : BinaryTensors.fp32(binarySize, input.get("data"), binary, where, (int) count, shape);
    return new InferRequest(id, name, (int) rows, features);
  }

  private static long[] shape(JsonNode shape, String where) {
    if (shape == null || !shape.isArray()) {
      throw HttpProblem.badRequest(where + " has no 'shape' (an array of sizes)");
    }
    long[] sizes = new long[shape.size()];
    for (int i = 0; i < sizes.length; i++) {
      JsonNode size = shape.get(i);
      if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
        throw HttpProblem.badRequest(
            where
                + " has shape "
                + abbreviate(shape.toString())
                + "; sizes must be whole numbers, at least 0");
      }
      sizes[i] = size.asLong();
    }
    return sizes;
  }

  /** The numbers of {@code data}, flattened in row-major order; exactly {@code count} of them. */
  private static float[] data(JsonNode data, String where, int count, long[] shape) {
    if (data == null || !data.isArray()) {
      throw HttpProblem.badRequest(
          where + " has no 'data' (an array of " + count + " numbers, flat or nested)");
    }
    float[] values = new float[count];
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
      } else if (node.isNumber()) {
        if (n == count) {
          throw tooMany(where, count, shape);
        }
        float value = node.floatValue();
        if (!Float.isFinite(value)) {
          throw HttpProblem.badRequest(
              where
                  + " has "
                  + abbreviate(node.asText())
                  + " in 'data', out of "
                  + DATATYPE
                  + " range");
        }
        values[n++] = value;
      } else {
        throw HttpProblem.badRequest(
            where
                + " has "
                + kind(node)
                + " "
                + abbreviate(node.toString())
                + " in 'data'; "
                + DATATYPE
                + " data holds numbers only");
      }
    }
    if (n != count) {
      throw HttpProblem.badRequest(
          where
              + " has "
              + n
              + " values in 'data', but its shape "
              + format(shape)
              + " holds "
              + count);
    }
    return values;
  }

  private static HttpProblem tooMany(String where, int count, long[] shape) {
    return HttpProblem.badRequest(
        where
            + " has more than "
            + count
            + " values in 'data', but its shape "
            + format(shape)
            + " holds "
            + count);
  }

  private static JsonNode readJson(byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || root.isMissingNode()) {
        throw HttpProblem.badRequest("request body is empty; expected a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw HttpProblem.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpProblem.badRequest("request body cannot be read: " + e.getMessage());
    }
  }

  /** {@code [-1, width]}. */
  public static String expectedShape(ModelSpec spec) {
    return format(spec.inputShape());
  }

  static String format(long[] shape) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      text.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return text.append(']').toString();
  }

  private static String kind(JsonNode node) {
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

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}

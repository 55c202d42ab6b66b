package io.weft.serving.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and checks an Open Inference Protocol v2 request body against a model's inputs: each of
 * them once (a model of one input takes it under any name), of its datatype, of a shape it accepts
 * ({@code [n, width]} for {@code [-1, width]}, or {@code [width]} for one row), at most {@code
 * maxBatch} rows, and as many values of its datatype in {@code data} (flat or nested) or in the
 * binary section as the shape holds. Every problem is a {@link HttpProblem} that names what was
 * expected: 413 ({@link Refusal#TENSOR_TOO_LARGE}) for an input over the limits, 400 for anything
 * else.
 */
public final class InferRequestParser {

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

  /** Parses {@code body}, a JSON request for model {@code model}. */
  public InferRequest parse(byte[] body, String model, Servable servable) {
    return parse(BinaryBody.json(body), model, servable);
  }

  /**
   * Parses {@code body}, a request for model {@code model} answered by {@code servable}, whose
   * inputs carry their data in its JSON or, with {@code parameters.binary_data_size}, in its binary
   * section.
   */
  public InferRequest parse(BinaryBody body, String model, Servable servable) {
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
    List<TensorSpec> specs = servable.inputs();
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.size() != specs.size()) {
      throw inputCount(
          inputs == null ? "none" : inputs.isArray() ? "" + inputs.size() : kind(inputs),
          model,
          specs);
    }
    ByteBuffer binary = body.binary().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    JsonNode[] byIndex = new JsonNode[specs.size()];
    for (JsonNode input : inputs) {
      int index = indexOf(input, specs, model);
      if (byIndex[index] != null) {
        throw HttpProblem.badRequest(
            "input '" + specs.get(index).name() + "' is given twice in 'inputs'");
      }
      byIndex[index] = input;
    }
    // binary data follows the order of the inputs in the request
    Tensor[] tensors = new Tensor[specs.size()];
    for (JsonNode input : inputs) {
      int index = java.util.Arrays.asList(byIndex).indexOf(input);
      tensors[index] = input(input, specs.get(index), model, binary);
    }
    if (binary.hasRemaining()) {
      throw HttpProblem.badRequest(
          "the body has "
              + binary.remaining()
              + " bytes after the inputs' binary data; binary_data_size must account for every"
              + " byte after the JSON header");
    }
    List<Tensor> checked = List.of(tensors);
    int rows = rows(checked, specs);
    List<String> names = servable.outputs().stream().map(TensorSpec::name).toList();
    return new InferRequest(
        id,
        checked,
        rows,
        BinaryTensors.requestedOutputs(root, names),
        BinaryTensors.binaryOutputs(root, names));
  }

  /**
   * Which of the model's inputs {@code input} is: by name, or the only one whatever its name.
   *
   * @throws HttpProblem 400 naming the inputs if it has no name or one the model does not have
   */
  private static int indexOf(JsonNode input, List<TensorSpec> specs, String model) {
    if (!input.isObject()) {
      throw HttpProblem.badRequest("input must be an object {name, shape, datatype, data}");
    }
    String name = input.path("name").isTextual() ? input.get("name").asText() : null;
    if (name == null) {
      throw HttpProblem.badRequest("input has no 'name' (a string)");
    }
    return indexOf(name, specs, model);
  }

  /**
   * Which of the model's inputs is named {@code name}; a model of one input takes it under any
   * name.
   *
   * @throws HttpProblem 400 naming the model's inputs if it has none of that name
   */
  static int indexOf(String name, List<TensorSpec> specs, String model) {
    if (specs.size() == 1) {
      return 0;
    }
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).name().equals(name)) {
        return i;
      }
    }
    throw HttpProblem.badRequest(
        "model '"
            + model
            + "' has no input '"
            + abbreviate(name)
            + "'; it takes "
            + describe(specs));
  }

  /** The batch size the inputs agree on: the first dimension of every batched input. */
  static int rows(List<Tensor> tensors, List<TensorSpec> specs) {
    long rows = -1;
    for (int i = 0; i < tensors.size(); i++) {
      if (!specs.get(i).isBatched()) {
        continue;
      }
      long first = tensors.get(i).rows();
      if (rows >= 0 && first != rows) {
        throw HttpProblem.badRequest(
            "input '"
                + specs.get(i).name()
                + "' has "
                + first
                + " rows, but the inputs before it have "
                + rows
                + "; every batched input needs as many rows");
      }
      rows = first;
    }
    return (int) Math.max(rows, 1);
  }

  private Tensor input(JsonNode input, TensorSpec spec, String model, ByteBuffer binary) {
    String name = input.get("name").asText();
    String where = where(name);
    JsonNode datatypeNode = input.get("datatype");
    String datatype =
        datatypeNode == null
            ? null
            : datatypeNode.isTextual() ? datatypeNode.asText() : datatypeNode.toString();
    requireDatatype(where, datatype, spec);
    long[] shape = shape(input.get("shape"), where);
    long[] full = check(name, datatype, shape, spec, model);
    long count = elements(full);
    JsonNode binarySize = input.path("parameters").get("binary_data_size");
    ByteBuffer data =
        binarySize == null
            ? JsonTensorData.read(input.get("data"), spec.type(), where, (int) count, shape)
            : BinaryTensors.read(
                binarySize, input.get("data"), binary, spec.type(), where, (int) count, shape);
    return new Tensor(spec.name(), spec.type(), full, data);
  }

  /**
   * Checks input {@code name}'s datatype and shape against {@code spec}, an input of model {@code
   * model}, and against the limits, whatever the request's encoding.
   *
   * @param datatype as sent; null if none
   * @return its shape with the batch dimension: {@code [1, width]} for a row sent as {@code
   *     [width]}
   * @throws HttpProblem naming the input: 413 ({@link Refusal#TENSOR_TOO_LARGE}) over the limits,
   *     400 for anything else
   */
  long[] check(String name, String datatype, long[] shape, TensorSpec spec, String model) {
    String where = where(name);
    requireDatatype(where, datatype, spec);
    for (long size : shape) {
      if (size < 0) {
        throw HttpProblem.badRequest(
            where + " has shape " + format(shape) + "; sizes must be whole numbers, at least 0");
      }
    }
    long[] declared = spec.shape();
    // one row of a batched input may leave out the batch dimension: [width] for [-1, width]
    long[] full = shape;
    if (spec.isBatched() && shape.length == declared.length - 1) {
      full = new long[declared.length];
      full[0] = 1;
      System.arraycopy(shape, 0, full, 1, shape.length);
    }
    if (!spec.accepts(full)) {
      throw HttpProblem.badRequest(
          where
              + " has shape "
              + format(shape)
              + "; model '"
              + model
              + "' expects "
              + format(declared)
              + (spec.isBatched()
                  ? " (or "
                      + format(Arrays.copyOfRange(declared, 1, declared.length))
                      + " for one row)"
                  : ""));
    }
    long rows = spec.isBatched() ? full[0] : 1;
    if (spec.isBatched() && rows < 1) {
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
    // a value takes at least two bytes of a JSON body: a digit and a comma
    long count = elements(full);
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
    return full;
  }

  private static void requireDatatype(String where, String datatype, TensorSpec spec) {
    if (!spec.type().name().equals(datatype)) {
      throw HttpProblem.badRequest(
          where
              + " has datatype "
              + (datatype == null ? "none" : abbreviate(datatype))
              + "; expected datatype "
              + spec.type());
    }
  }

  /** {@code input 'name'}, abbreviated, as messages name an input. */
  static String where(String name) {
    return "input '" + abbreviate(name) + "'";
  }

  /**
   * The refusal of a request without one input per model input.
   *
   * @param got how many inputs it has, or what it has instead of a list
   */
  static HttpProblem inputCount(String got, String model, List<TensorSpec> specs) {
    return HttpProblem.badRequest(
        "expected "
            + (specs.size() == 1 ? "exactly one input" : specs.size() + " inputs")
            + " in 'inputs', got "
            + got
            + "; model '"
            + model
            + "' takes "
            + describe(specs));
  }

  private static long elements(long[] shape) {
    try {
      return Tensor.elements(shape);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // refused as too large
    }
  }

  /** "one FP32 input of shape [-1, 4]", or "inputs a FP32 [-1, 2], b INT64 [-1]". */
  static String describe(List<TensorSpec> specs) {
    if (specs.size() == 1) {
      return "one " + specs.get(0).type() + " input of shape " + format(specs.get(0).shape());
    }
    StringBuilder text = new StringBuilder("inputs ");
    for (int i = 0; i < specs.size(); i++) {
      TensorSpec spec = specs.get(i);
      text.append(i == 0 ? "" : ", ")
          .append(spec.name())
          .append(' ')
          .append(spec.type())
          .append(' ')
          .append(format(spec.shape()));
    }
    return text.toString();
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

  static String format(long[] shape) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      text.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return text.append(']').toString();
  }

  private static String kind(JsonNode node) {
    return JsonTensorData.kind(node);
  }

  static String abbreviate(String text) {
    return JsonTensorData.abbreviate(text);
  }
}

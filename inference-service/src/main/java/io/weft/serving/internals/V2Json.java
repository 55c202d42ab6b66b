package io.weft.serving.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.ml.api.Classifier;
import io.weft.ml.api.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** The JSON bodies the server answers with, in the Open Inference Protocol v2's shapes. */
public final class V2Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String PLATFORM = "pytorch_djl";
  public static final String INPUT = "input-0";
  public static final String LOGITS = "output-0";
  public static final String LABEL = "label";

  /** The outputs of every model Weft serves, in the order of a response. */
  public static final List<String> OUTPUTS = List.of(LOGITS, LABEL);

  /**
   * An infer response: its JSON, and the raw bytes of the outputs the request wanted binary (each
   * such output's {@code parameters.binary_data_size} in the JSON), or null if none.
   */
  public record InferResponse(JsonNode json, byte[] binary) {}

  private V2Json() {}

  public static JsonNode error(String message) {
    return MAPPER.createObjectNode().put("error", message);
  }

  public static JsonNode serverMetadata(String version) {
    ObjectNode server = MAPPER.createObjectNode().put("name", "weft").put("version", version);
    server.putArray("extensions").add("binary_tensor_data");
    return server;
  }

  /** A model's metadata: its version, its one input and its two outputs. */
  public static JsonNode modelMetadata(String name, int version, ModelSpec spec) {
    ObjectNode model = MAPPER.createObjectNode().put("name", name);
    model.putArray("versions").add(Integer.toString(version));
    model.put("platform", PLATFORM);
    tensor(model.putArray("inputs"), INPUT, InferRequestParser.DATATYPE, -1, spec.width());
    ArrayNode outputs = model.putArray("outputs");
    tensor(outputs, LOGITS, "FP32", -1, spec.classes());
    tensor(outputs, LABEL, "INT64", -1);
    return model;
  }

  /** The answer to an inference request. */
  public static JsonNode inferResponse(
      String name, int version, InferRequest request, Classifier.Prediction prediction) {
    return infer(name, version, request, prediction).json();
  }

  /** The response to {@code request}, with binary outputs if it asked for them. */
  public static InferResponse infer(
      String name, int version, InferRequest request, Classifier.Prediction prediction) {
    ObjectNode response =
        MAPPER.createObjectNode().put("model_name", name).put("model_version", "" + version);
    if (request.id() != null) {
      response.put("id", request.id());
    }
    ArrayNode outputs = response.putArray("outputs");
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    ObjectNode logits =
        tensor(outputs, LOGITS, "FP32", request.rows(), classes(request, prediction));
    if (request.binaryOutputs().contains(LOGITS)) {
      ByteBuffer bytes =
          ByteBuffer.allocate(prediction.logits().length * Float.BYTES)
              .order(ByteOrder.LITTLE_ENDIAN);
      for (float value : prediction.logits()) {
        bytes.putFloat(value);
      }
      binary.writeBytes(bytes.array());
      logits.putObject("parameters").put("binary_data_size", bytes.capacity());
    } else {
      ArrayNode data = logits.putArray("data");
      for (float value : prediction.logits()) {
        data.add(value);
      }
    }
    ObjectNode labels = tensor(outputs, LABEL, "INT64", request.rows());
    if (request.binaryOutputs().contains(LABEL)) {
      ByteBuffer bytes =
          ByteBuffer.allocate(prediction.labels().length * Long.BYTES)
              .order(ByteOrder.LITTLE_ENDIAN);
      for (long label : prediction.labels()) {
        bytes.putLong(label);
      }
      binary.writeBytes(bytes.array());
      labels.putObject("parameters").put("binary_data_size", bytes.capacity());
    } else {
      ArrayNode data = labels.putArray("data");
      for (long label : prediction.labels()) {
        data.add(label);
      }
    }
    return new InferResponse(response, binary.size() == 0 ? null : binary.toByteArray());
  }

  private static long classes(InferRequest request, Classifier.Prediction prediction) {
    return prediction.logits().length / Math.max(1, request.rows());
  }

  /** Adds a tensor {name, datatype, shape} to {@code list} and returns it. */
  private static ObjectNode tensor(ArrayNode list, String name, String datatype, long... shape) {
    ObjectNode tensor = list.addObject().put("name", name).put("datatype", datatype);
    ArrayNode sizes = tensor.putArray("shape");
    for (long size : shape) {
      sizes.add(size);
    }
    return tensor;
  }
}

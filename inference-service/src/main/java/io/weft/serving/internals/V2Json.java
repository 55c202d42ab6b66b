package io.weft.serving.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.ml.api.Classifier;
import io.weft.ml.api.ModelSpec;

/** The JSON bodies the server answers with, in the Open Inference Protocol v2's shapes. */
public final class V2Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String PLATFORM = "pytorch_djl";
  public static final String INPUT = "input-0";
  public static final String LOGITS = "output-0";
  public static final String LABEL = "label";

  private V2Json() {}

  public static JsonNode error(String message) {
    return MAPPER.createObjectNode().put("error", message);
  }

  public static JsonNode serverMetadata(String version) {
    ObjectNode server = MAPPER.createObjectNode().put("name", "weft").put("version", version);
    server.putArray("extensions");
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
    ObjectNode response =
        MAPPER.createObjectNode().put("model_name", name).put("model_version", "" + version);
    if (request.id() != null) {
      response.put("id", request.id());
    }
    ArrayNode outputs = response.putArray("outputs");
    ArrayNode logits =
        tensor(outputs, LOGITS, "FP32", request.rows(), classes(request, prediction))
            .putArray("data");
    for (float value : prediction.logits()) {
      logits.add(value);
    }
    ArrayNode labels = tensor(outputs, LABEL, "INT64", request.rows()).putArray("data");
    for (long label : prediction.labels()) {
      labels.add(label);
    }
    return response;
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

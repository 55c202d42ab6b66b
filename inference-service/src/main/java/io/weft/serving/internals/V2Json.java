package io.weft.serving.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.ml.api.ClassifierServable;
import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/** The JSON bodies the server answers with, in the Open Inference Protocol v2's shapes. */
public final class V2Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String INPUT = ClassifierServable.INPUT;
  public static final String LOGITS = ClassifierServable.LOGITS;
  public static final String LABEL = ClassifierServable.LABEL;

  /** The protocol extensions the server supports. */
  public static final List<String> EXTENSIONS = List.of("binary_tensor_data");

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
    EXTENSIONS.forEach(server.putArray("extensions")::add);
    return server;
  }

  /** A model's metadata: its version, platform, inputs and outputs as the model declares them. */
  public static JsonNode modelMetadata(String name, int version, Servable servable) {
    return modelMetadata(name, version, servable.platform(), servable.inputs(), servable.outputs());
  }

  /** A model's metadata from its declared signature. */
  public static JsonNode modelMetadata(
      String name,
      int version,
      String platform,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs) {
    ObjectNode model = MAPPER.createObjectNode().put("name", name);
    model.putArray("versions").add(Integer.toString(version));
    model.put("platform", platform);
    ArrayNode in = model.putArray("inputs");
    inputs.forEach(spec -> tensor(in, spec.name(), spec.type().name(), spec.shape()));
    ArrayNode out = model.putArray("outputs");
    outputs.forEach(spec -> tensor(out, spec.name(), spec.type().name(), spec.shape()));
    return model;
  }

  /**
   * The response to {@code request}: the outputs it asked for, with binary outputs if it asked for
   * them.
   */
  public static InferResponse infer(
      String name, int version, InferRequest request, List<Tensor> outputs) {
    ObjectNode response =
        MAPPER.createObjectNode().put("model_name", name).put("model_version", "" + version);
    if (request.id() != null) {
      response.put("id", request.id());
    }
    ArrayNode list = response.putArray("outputs");
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    for (Tensor output : outputs) {
      if (!request.outputs().contains(output.name())) {
        continue;
      }
      ObjectNode tensor = tensor(list, output.name(), output.type().name(), output.shape());
      if (request.binaryOutputs().contains(output.name())) {
        byte[] bytes = output.bytes();
        binary.writeBytes(bytes);
        tensor.putObject("parameters").put("binary_data_size", bytes.length);
      } else {
        data(tensor.putArray("data"), output);
      }
    }
    return new InferResponse(response, binary.size() == 0 ? null : binary.toByteArray());
  }

  /** Adds {@code tensor}'s elements to {@code data}, flat, as JSON values of its type. */
  private static void data(ArrayNode data, Tensor tensor) {
    ByteBuffer values = tensor.data();
    int count = (int) tensor.elements();
    for (int i = 0; i < count; i++) {
      switch (tensor.type()) {
        case BOOL -> data.add(values.get(i) != 0);
        case UINT8 -> data.add(values.get(i) & 0xff);
        case INT8 -> data.add(values.get(i));
        case UINT16 -> data.add(values.getShort(i * 2) & 0xffff);
        case INT16 -> data.add(values.getShort(i * 2));
        case UINT32 -> data.add(values.getInt(i * 4) & 0xffffffffL);
        case INT32 -> data.add(values.getInt(i * 4));
        case UINT64 ->
            data.add(new java.math.BigInteger(Long.toUnsignedString(values.getLong(i * 8))));
        case INT64 -> data.add(values.getLong(i * 8));
        case FP32 -> data.add(values.getFloat(i * 4));
        case FP64 -> data.add(values.getDouble(i * 8));
      }
    }
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

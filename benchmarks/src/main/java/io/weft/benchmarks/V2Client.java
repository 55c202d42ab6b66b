package io.weft.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A client of the inference service's v2 infer endpoint for one model, over HTTP/1.1. */
final class V2Client {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI infer;

  V2Client(URI server, String model) {
    this.infer = server.resolve("/v2/models/" + model + "/infer");
  }

  /** A v2 infer body of {@code rows} rows of {@code width} features, FP32. */
  static String body(float[] features, int rows, int width) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode input = body.putArray("inputs").addObject();
    input.put("name", "input-0").put("datatype", "FP32");
    input.putArray("shape").add(rows).add(width);
    ArrayNode values = input.putArray("data");
    for (int i = 0; i < rows * width; i++) {
      values.add(features[i]);
    }
    return body.toString();
  }

  /**
   * A request of the binary tensor extension: a JSON header naming the input's size, then its
   * {@code rows x width} FP32 values raw, little-endian; the outputs asked for raw too.
   */
  static Binary binaryBody(float[] features, int rows, int width) {
    ObjectNode header = JSON.createObjectNode();
    ObjectNode input = header.putArray("inputs").addObject();
    input.put("name", "input-0").put("datatype", "FP32");
    input.putArray("shape").add(rows).add(width);
    input.putObject("parameters").put("binary_data_size", rows * width * Float.BYTES);
    header.putObject("parameters").put("binary_data_output", true);
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer body =
        ByteBuffer.allocate(json.length + rows * width * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    body.put(json);
    for (int i = 0; i < rows * width; i++) {
      body.putFloat(features[i]);
    }
    return new Binary(body.array(), json.length);
  }

  /** A binary request body and the length of its JSON header. */
  record Binary(byte[] body, int headerLength) {}

  /**
   * Sends one binary request; the labels answered (the raw {@code label} output, INT64), or an
   * exception naming the status.
   */
  long[] inferBinary(Binary request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(infer)
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", String.valueOf(request.headerLength()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(
          "POST "
              + infer
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    int json =
        Integer.parseInt(
            response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    JsonNode header = JSON.readTree(response.body(), 0, json);
    ByteBuffer raw =
        ByteBuffer.wrap(response.body(), json, response.body().length - json)
            .order(ByteOrder.LITTLE_ENDIAN);
    long[] labels = null;
    for (JsonNode output : header.get("outputs")) {
      int size = output.get("parameters").get("binary_data_size").asInt();
      if (output.get("name").asText().equals("label")) {
        labels = new long[size / Long.BYTES];
        raw.slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(labels);
      }
      raw.position(raw.position() + size);
    }
    return labels;
  }

  /** Sends one infer request; the response body, or an exception naming the status. */
  String infer(String body) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(infer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "POST " + infer + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** The {@code label} output of an infer response. */
  static List<Long> labels(String response) throws IOException {
    List<Long> labels = new ArrayList<>();
    for (JsonNode output : JSON.readTree(response).get("outputs")) {
      if (output.get("name").asText().equals("label")) {
        output.get("data").forEach(v -> labels.add(v.asLong()));
      }
    }
    return labels;
  }
}

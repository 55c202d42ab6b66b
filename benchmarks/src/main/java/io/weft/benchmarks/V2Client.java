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

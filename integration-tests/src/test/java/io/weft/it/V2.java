package io.weft.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.ml.internals.data.LabeledData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small client of the inference service's v2 protocol, for tests. */
final class V2 {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI server;
  private final HttpClient http = HttpClient.newHttpClient();

  V2(URI server) {
    this.server = server;
  }

  void awaitReady(String model, Duration atMost) {
    await()
        .atMost(atMost)
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(server.resolve("/v2/models/" + model + "/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
  }

  /** Infers rows {@code from} to {@code from + n} of {@code data}; the response. */
  HttpResponse<String> infer(String model, LabeledData data, int from, int n)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode input = body.putArray("inputs").addObject();
    input.put("name", "input-0").put("datatype", "FP32");
    input.putArray("shape").add(n).add(data.width());
    ArrayNode values = input.putArray("data");
    for (int i = from * data.width(); i < (from + n) * data.width(); i++) {
      values.add(data.features()[i]);
    }
    return http.send(
        HttpRequest.newBuilder(server.resolve("/v2/models/" + model + "/infer"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The predicted labels of rows {@code from} to {@code from + n}. */
  List<Long> labels(String model, LabeledData data, int from, int n) throws Exception {
    HttpResponse<String> response = infer(model, data, from, n);
    if (response.statusCode() != 200) {
      throw new AssertionError("infer answered " + response.statusCode() + ": " + response.body());
    }
    List<Long> labels = new ArrayList<>();
    for (JsonNode output : JSON.readTree(response.body()).get("outputs")) {
      if (output.get("name").asText().equals("label")) {
        output.get("data").forEach(v -> labels.add(v.asLong()));
      }
    }
    return labels;
  }
}

package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskView;
import io.weft.ml.api.Datasets;
import io.weft.ml.api.Datasets.Examples;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.LocalArtifactStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** The end of the demo: the run's summary, the model registered, and a sample inference. */
final class DemoSummary {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SAMPLES = 10;

  private final PrintWriter out;

  DemoSummary(PrintWriter out) {
    this.out = out;
  }

  /** Each task's status, duration and plain outputs. */
  void run(RunView run) {
    out.printf(
        "%nRun %s (%s v%d): %s in %s%n",
        run.runId(),
        run.workflowName(),
        run.workflowVersion(),
        run.status(),
        DemoProgress.seconds(millis(run.startedAt(), run.finishedAt())));
    List<Map.Entry<String, TaskView>> tasks = new ArrayList<>(run.tasks().entrySet());
    tasks.sort(
        java.util.Comparator.comparing(
            (Map.Entry<String, TaskView> e) -> e.getValue().scheduledAt(),
            java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
    for (Map.Entry<String, TaskView> entry : tasks) {
      TaskView task = entry.getValue();
      out.printf(
          "  %-10s %-9s %7s  %s%n",
          entry.getKey(),
          task.status(),
          DemoProgress.seconds(millis(task.startedAt(), task.finishedAt())),
          task.error() != null ? task.error() : plainOutputs(task.outputs()));
    }
    out.flush();
  }

  /** Outputs that are numbers, text or booleans, e.g. {@code accuracy=0.9512}. */
  private static String plainOutputs(Map<String, JsonNode> outputs) {
    StringJoiner plain = new StringJoiner(" ");
    for (Map.Entry<String, JsonNode> output : outputs.entrySet()) {
      JsonNode value = output.getValue();
      if (value.isFloatingPointNumber()) {
        plain.add(output.getKey() + "=" + String.format("%.4f", value.asDouble()));
      } else if (value.isValueNode()) {
        plain.add(output.getKey() + "=" + value.asText());
      }
    }
    return plain.toString();
  }

  private static long millis(Instant from, Instant to) {
    return from == null || to == null ? 0 : Duration.between(from, to).toMillis();
  }

  /**
   * Sends 10 test digits of the run's {@code prepare} task, drawn at random with a fixed seed, to
   * the inference service and prints what it answered beside the true labels; returns how many were
   * right.
   */
  int sampleInference(RunView run, LocalArtifactStore artifacts, URI server, String model)
      throws IOException, InterruptedException {
    JsonNode testRef = run.tasks().get("prepare").outputs().get("test");
    ArtifactRef ref = JSON.treeToValue(testRef, ArtifactRefJson.class).toRef();
    Examples test = Datasets.read(artifacts, ref, 10);
    int n = Math.min(SAMPLES, test.size());
    Examples digits = sample(test, n, new java.util.Random(42));
    HttpClient http = HttpClient.newHttpClient();
    URI infer = server.resolve("/v2/models/" + model + "/infer");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(infer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request(digits, n)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new CliException(
          Weft.FAILED, "inference answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode answer = JSON.readTree(response.body());
    List<Long> predicted = new ArrayList<>();
    for (JsonNode output : answer.get("outputs")) {
      if (output.get("name").asText().equals("label")) {
        output.get("data").forEach(v -> predicted.add(v.asLong()));
      }
    }
    int correct = 0;
    StringJoiner said = new StringJoiner(" ");
    StringJoiner truth = new StringJoiner(" ");
    for (int i = 0; i < n; i++) {
      said.add(String.valueOf(predicted.get(i)));
      truth.add(String.valueOf(digits.labels()[i]));
      correct += predicted.get(i) == digits.labels()[i] ? 1 : 0;
    }
    out.printf(
        "%nSample inference: POST %s (model %s version %s), %d test digits%n",
        infer, model, answer.path("model_version").asText(), n);
    out.println("  predicted: " + said);
    out.println("  actual:    " + truth);
    out.printf("  %d/%d correct%n", correct, n);
    out.flush();
    return correct;
  }

  private static Examples sample(Examples data, int n, java.util.Random random) {
    float[] features = new float[n * data.width()];
    int[] labels = new int[n];
    for (int k = 0; k < n; k++) {
      int i = random.nextInt(data.size());
      System.arraycopy(data.features(), i * data.width(), features, k * data.width(), data.width());
      labels[k] = data.labels()[i];
    }
    return new Examples(features, labels, data.width());
  }

  private static String request(Examples digits, int n) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode input = body.putArray("inputs").addObject();
    input.put("name", "input-0");
    input.put("datatype", "FP32");
    input.putArray("shape").add(n).add(digits.width());
    ArrayNode data = input.putArray("data");
    for (int i = 0; i < n * digits.width(); i++) {
      data.add(digits.features()[i]);
    }
    return body.toString();
  }

  /** An artifact output as the query API shows it. */
  record ArtifactRefJson(String uri, String sha256, long size, String mediaType) {
    ArtifactRef toRef() {
      return new ArtifactRef(uri, sha256, size, mediaType);
    }
  }
}

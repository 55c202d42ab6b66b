package io.weft.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.ml.api.ModelLoader;
import io.weft.ml.api.ModelSpec;
import io.weft.serving.internals.FakeClassifier;
import io.weft.serving.internals.FakeRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP surface of the server over an in-memory registry and fake classifiers (whose logits are
 * their version number): status codes and bodies of every endpoint, without Kafka or DJL.
 */
class InferenceServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newHttpClient();
  private final FakeRegistry registry = new FakeRegistry();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final ModelLoader loader =
      version -> {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new FakeClassifier(
            ModelSpec.fromProperties(version.getProperties()), version.getVersion());
      };
  private InferenceServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldAnswerReadyOnlyAfterTheProductionModelIsLoaded() throws Exception {
    // given: a load that waits
    gate = new CountDownLatch(1);
    registry.register("mnist", 1, 4, 3);
    registry.promote("mnist", 1);

    // when
    server = start(Map.of());

    // then
    assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/v2/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/v2/models/mnist/ready").statusCode()).isEqualTo(503);
    assertThat(server.isReady()).isFalse();
    gate.countDown();
    await().atMost(WAIT).until(() -> get("/v2/health/ready").statusCode() == 200);
    assertThat(get("/v2/models/mnist/ready").statusCode()).isEqualTo(200);
    assertThat(server.isReady()).isTrue();
  }

  @Test
  void shouldDescribeTheServerAndTheModel() throws Exception {
    // given
    givenServing("mnist", 2);

    // when
    JsonNode server = json(get("/v2"));
    HttpResponse<String> model = get("/v2/models/mnist");

    // then
    assertThat(server.get("name").asText()).isEqualTo("weft");
    assertThat(model.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(model.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"name\":\"mnist\",\"versions\":[\"2\"],\"platform\":\"pytorch_djl\","
                    + "\"inputs\":[{\"name\":\"input-0\",\"datatype\":\"FP32\",\"shape\":[-1,4]}],"
                    + "\"outputs\":[{\"name\":\"output-0\",\"datatype\":\"FP32\",\"shape\":[-1,3]},"
                    + "{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]}]}"));
    assertThat(json(get("/v2/models/mnist/versions/1")).get("versions").get(0).asText())
        .isEqualTo("1");
  }

  @Test
  void shouldInferWithTheProductionVersion() throws Exception {
    // given
    givenServing("mnist", 2);

    // when
    HttpResponse<String> response =
        post(
            "/v2/models/mnist/infer",
            "{\"id\":\"a\",\"inputs\":[{\"name\":\"input-0\",\"shape\":[2,4],"
                + "\"datatype\":\"FP32\",\"data\":[[1,2,3,4],[5,6,7,8]]}]}");

    // then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"model_name\":\"mnist\",\"model_version\":\"2\",\"id\":\"a\",\"outputs\":["
                    + "{\"name\":\"output-0\",\"datatype\":\"FP32\",\"shape\":[2,3],"
                    + "\"data\":[2.0,2.0,2.0,2.0,2.0,2.0]},"
                    + "{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[2,2]}]}"));
  }

  @Test
  void shouldCountInferRequestsByModelVersionAndStatusAndServeThemAtMetrics() throws Exception {
    // given
    givenServing("mnist", 2);

    // when: two rows answered, one request refused
    post(
        "/v2/models/mnist/infer",
        "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[2,4],"
            + "\"datatype\":\"FP32\",\"data\":[[1,2,3,4],[5,6,7,8]]}]}");
    post("/v2/models/mnist/infer", "{not json");
    HttpResponse<String> metrics = get("/metrics");

    // then
    MeterRegistry meters = server.meterRegistry();
    assertThat(
            meters
                .get("weft.inference.requests")
                .tags("model", "mnist", "version", "2", "status", "200")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            meters
                .get("weft.inference.requests")
                .tags("model", "mnist", "status", "400")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            meters.get("weft.inference.batch.size").tag("model", "mnist").summary().totalAmount())
        .isEqualTo(2.0);
    assertThat(
            meters
                .get("weft.inference.model.loads")
                .tags("model", "mnist", "version", "2")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
  }

  @Test
  void shouldInferWithARequestedVersionLoadedOnDemand() throws Exception {
    // given
    givenServing("mnist", 2);

    // when
    JsonNode response = json(post("/v2/models/mnist/versions/1/infer", oneRow("[1,2,3,4]")));

    // then
    assertThat(response.get("model_version").asText()).isEqualTo("1");
    assertThat(response.at("/outputs/0/data/0").floatValue()).isEqualTo(1f);
    assertThat(json(get("/v2/models/mnist")).at("/versions/0").asText()).isEqualTo("2");
  }

  @Test
  void shouldAnswer400NamingTheExpectedShape() throws Exception {
    // given
    givenServing("mnist", 1);

    // when
    HttpResponse<String> response =
        post(
            "/v2/models/mnist/infer",
            "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,3],\"datatype\":\"FP32\","
                + "\"data\":[1,2,3]}]}");

    // then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText())
        .startsWith("input 'input-0' has shape [1, 3]; model 'mnist' expects [-1, 4]");
  }

  @Test
  void shouldAnswer400ForMalformedJson() throws Exception {
    givenServing("mnist", 1);

    HttpResponse<String> response = post("/v2/models/mnist/infer", "{\"inputs\": [");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).startsWith("request body is not valid JSON");
  }

  @Test
  void shouldAnswer404NamingTheServedModelsForAnUnknownModel() throws Exception {
    // given
    givenServing("mnist", 1);

    // when
    HttpResponse<String> infer = post("/v2/models/fashion/infer", oneRow("[1,2,3,4]"));
    HttpResponse<String> metadata = get("/v2/models/fashion");

    // then
    assertThat(infer.statusCode()).isEqualTo(404);
    assertThat(json(infer).get("error").asText())
        .isEqualTo("model 'fashion' not found; served models: mnist");
    assertThat(metadata.statusCode()).isEqualTo(404);
  }

  @Test
  void shouldAnswer404ForAnUnknownVersionAndAnUnknownPath() throws Exception {
    // given
    givenServing("mnist", 1);

    // when
    HttpResponse<String> version = post("/v2/models/mnist/versions/9/infer", oneRow("[1,2,3,4]"));
    HttpResponse<String> path = get("/v2/models/mnist/explain");

    // then
    assertThat(version.statusCode()).isEqualTo(404);
    assertThat(json(version).get("error").asText())
        .isEqualTo("model 'mnist' has no version 9; production is version 1");
    assertThat(path.statusCode()).isEqualTo(404);
    assertThat(json(path).get("error").asText())
        .isEqualTo("no such endpoint: /v2/models/mnist/explain");
  }

  @Test
  void shouldAnswer405ForAWrongMethod() throws Exception {
    // given
    givenServing("mnist", 1);

    // when
    HttpResponse<String> getInfer = get("/v2/models/mnist/infer");
    HttpResponse<String> postReady = post("/v2/health/ready", "{}");

    // then
    assertThat(getInfer.statusCode()).isEqualTo(405);
    assertThat(getInfer.headers().firstValue("Allow")).contains("POST");
    assertThat(json(getInfer).get("error").asText())
        .isEqualTo("GET is not allowed on /v2/models/mnist/infer; use POST");
    assertThat(postReady.statusCode()).isEqualTo(405);
  }

  private void givenServing(String name, int production) {
    givenServing(name, production, Map.of());
  }

  private void givenServing(String name, int production, Map<String, Object> settings) {
    for (int v = 1; v <= production; v++) {
      registry.register(name, v, 4, 3);
    }
    registry.promote(name, production);
    server = start(settings);
    await().atMost(WAIT).until(server::isReady);
  }

  private InferenceServer start(Map<String, Object> extra) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", "127.0.0.1:9");
    settings.put("schema.registry.url", "mock://serving");
    settings.put("serve.port", 0);
    settings.putAll(extra);
    return InferenceServer.start(new InferenceConfig(settings), registry, loader, Time.SYSTEM);
  }

  private static String oneRow(String data) {
    return "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":"
        + data
        + "}]}";
  }

  private URI uri(String path) {
    return server.uri().resolve(path);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }
}

package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.common.ArtifactRef;
import io.weft.testkit.WeftInstallation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web UI's HTTP side on a real installation, without a browser: what it serves and refuses, its
 * actions' errors, and its event stream.
 */
@ExtendWith(WeftStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WeftInstallation kit;

  @BeforeAll
  void start(WeftStack stack) {
    kit =
        WeftInstallation.forTests(stack, "webui-api")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(Map.of(), "step");
    kit.client()
        .register(
            WorkflowDefinition.builder("pair", 1)
                .task(TaskDefinition.builder("a", "step"))
                .task(TaskDefinition.builder("b", "step").dependsOn("a"))
                .build());
  }

  @AfterAll
  void stop() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldServeItsPagesAndLibrariesFromTheClasspathAndNothingElse() throws Exception {
    HttpResponse<String> root = get("/ui");
    assertThat(root.statusCode()).isEqualTo(308);
    assertThat(root.headers().firstValue("Location")).hasValue("/ui/");
    HttpResponse<String> index = get("/ui/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("app.js", "lib/uplot/dist/uPlot.iife.min.js");
    assertThat(get("/ui/app.js").headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    HttpResponse<String> uplot = get("/ui/lib/uplot/dist/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot");

    for (String missing :
        List.of(
            "/ui/nothing.js",
            "/ui/lib/not-a-webjar/x.js",
            "/ui/lib/uplot/../../../../../etc/passwd",
            "/ui/%2e%2e/%2e%2e/pom.xml",
            "/ui/api/nothing",
            "/uix")) {
      HttpResponse<String> answer = get(missing);
      assertThat(answer.statusCode()).as(missing).isEqualTo(404);
      assertThat(JSON.readTree(answer.body()).path("error").asText()).as(missing).isNotBlank();
    }
  }

  @Test
  void shouldRefuseActionsThatAreNotJsonTooLargeOrMalformedNamingWhatIsWrong() throws Exception {
    String cancel = "/ui/api/runs/some-run/cancel";
    assertError(post(cancel, "text/plain", "{}"), 415, "application/json");
    assertError(
        post(cancel, "application/json", "{\"reason\":\"" + "x".repeat(20_000) + "\"}"),
        413,
        "16384 bytes");
    assertError(post(cancel, "application/json", "[1, 2]"), 400, "not a JSON object");
    assertError(post(cancel, "application/json", "{oops"), 400, "not a JSON object");
    String promote = "/ui/api/models/mnist/promote";
    assertError(post(promote, "application/json", "{\"version\":\"x\"}"), 400, "\"version\"");
    assertError(post(promote, "application/json", "{}"), 400, "\"version\"");
    assertError(post(promote, "application/json", "{\"version\":1}"), 404, "mnist");
    assertError(post("/ui/api/models/mnist/delete", "application/json", "{}"), 404, "no such");
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(uri("/ui/api/models"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(put, 405, "POST for actions");

    // and a model whose production cannot go back says so
    ArtifactRef artifact = new ArtifactRef("file:///tmp/m.bin", "00", 1L, "application/x");
    int version =
        kit.client().registerModel("solo", artifact, Map.of(), Map.of(), null, null).getVersion();
    HttpResponse<String> promoted =
        post("/ui/api/models/solo/promote", "application/json", "{\"version\":" + version + "}");
    assertThat(promoted.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(promoted.body()).path("promoted").asBoolean()).isTrue();
    assertError(
        post("/ui/api/models/solo/promote", "application/json", "{\"version\":" + version + "}"),
        409,
        "already production");
    assertError(post("/ui/api/models/solo/rollback", "application/json", ""), 409, "no earlier");

    // and none of it stopped anything: the models are still listed
    JsonNode models = JSON.readTree(get("/ui/api/models").body());
    assertThat(models.findValuesAsText("name")).contains("solo");
  }

  @Test
  void shouldListEachTaskTypeWithItsWorkersAndATopicNoWorkerServesWithNone() throws Exception {
    // given: a task topic that no worker declared nor serves (its group does not exist), with
    // three requests waiting, and two dead letters
    String orphan = kit.topics().tasks("orphan");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kit.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(orphan, 2, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kit.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(orphan, "run-" + i, "request")).get();
      }
      for (int i = 0; i < 2; i++) {
        producer.send(new ProducerRecord<>(kit.topics().deadLetters(), "k", "bad")).get();
      }
    }

    // when
    HttpResponse<String> answer = get("/ui/api/workers");

    // then
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode workers = JSON.readTree(answer.body());
    JsonNode step = row(workers, "step");
    assertThat(step.path("declared").asBoolean()).isTrue();
    assertThat(step.path("workers").asInt()).isEqualTo(1);
    assertThat(step.path("backlog").asLong()).isZero();
    JsonNode none = row(workers, "orphan");
    assertThat(none.path("declared").asBoolean()).isFalse();
    assertThat(none.path("workers").asInt()).isZero();
    assertThat(none.path("partitions").asInt()).isEqualTo(2);
    assertThat(none.path("topic").asText()).isEqualTo(orphan);
    assertThat(none.path("backlog").asLong()).isEqualTo(3);
    assertThat(workers.path("deadLetters").asLong()).isEqualTo(2);
  }

  private static JsonNode row(JsonNode workers, String type) {
    for (JsonNode row : workers.path("taskTypes")) {
      if (row.path("type").asText().equals(type)) {
        return row;
      }
    }
    throw new AssertionError("no task type " + type + " in " + workers);
  }

  @Test
  void shouldStreamARunsEventsInOrderAsTheyAreCommitted() throws Exception {
    // given: a browser-like client following a run id before the run starts
    String runKey = "streamed-" + System.nanoTime();
    // a run key makes the run id known before the start (the client derives one from the other)
    String runId =
        UUID.nameUUIDFromBytes(("pair\u0000" + runKey).getBytes(StandardCharsets.UTF_8)).toString();
    List<JsonNode> streamed = new CopyOnWriteArrayList<>();
    CompletableFuture<HttpResponse<Stream<String>>> stream =
        http.sendAsync(
            HttpRequest.newBuilder(uri("/ui/api/events?runId=" + runId))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = stream.get();
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    Thread reader =
        new Thread(
            () ->
                response
                    .body()
                    .filter(line -> line.startsWith("data: "))
                    .forEach(line -> streamed.add(parse(line.substring("data: ".length())))));
    reader.setDaemon(true);
    reader.start();

    // when: the run starts (with its own id) and a second run goes by
    assertThat(kit.client().startRun("pair", null, Map.of(), runKey)).isEqualTo(runId);
    String other = kit.client().startRun("pair", Map.of());
    kit.client().awaitCompletion(other, Duration.ofSeconds(60));

    // then: the stream gives exactly the run's events, in order, up to its end
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> streamed.stream().anyMatch(e -> e.path("type").asText().equals("RunSucceeded")));
    assertThat(streamed).allMatch(e -> e.path("runId").asText().equals(runId));
    assertThat(streamed.stream().map(e -> e.path("sequence").asLong()))
        .containsExactlyElementsOf(Stream.iterate(0L, i -> i + 1).limit(streamed.size()).toList());
    assertThat(streamed.get(0).path("type").asText()).isEqualTo("RunStarted");

    // and the run's page reads the same events back
    JsonNode kept = JSON.readTree(get("/ui/api/runs/" + runId + "/events").body());
    assertThat(kept.size()).isEqualTo(streamed.size());
    assertThat(kept.get(kept.size() - 1).path("type").asText()).isEqualTo("RunSucceeded");
    JsonNode counts = JSON.readTree(get("/run-counts").body());
    assertThat(counts.path("SUCCEEDED").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(counts.path("FAILED").asLong()).isZero();
    response.body().close();
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertError(HttpResponse<String> answer, int status, String says)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(
            JSON.readTree(answer.body()).path("error").asText("")
                + JSON.readTree(answer.body()).path("reason").asText(""))
        .contains(says);
  }

  private URI uri(String path) {
    return URI.create(kit.queryUrl() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String type, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

package io.weft.serving;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
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
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Time;

/**
 * A real {@link InferenceServer} on 127.0.0.1, port 0, over an in-memory registry and fake
 * classifiers (whose logits are their version number), and an HTTP/1.1 client for it, so that the
 * headers on the wire are only the client's few and the test's own.
 */
final class ServingFixture implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);

  /** Longest a request may take to be answered; longer is a hang. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  final FakeRegistry registry = new FakeRegistry();
  final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private final Map<Integer, FakeClassifier> classifiers = new ConcurrentHashMap<>();
  private final ModelLoader loader;
  private InferenceServer server;

  /** Serving {@link FakeClassifier}s. */
  ServingFixture() {
    this.loader =
        version -> {
          FakeClassifier classifier =
              new FakeClassifier(
                  ModelSpec.fromProperties(version.getProperties()), version.getVersion());
          classifiers.put(version.getVersion(), classifier);
          return classifier;
        };
  }

  /** Serving what {@code loader} loads. */
  ServingFixture(ModelLoader loader) {
    this.loader = loader;
  }

  /**
   * Registers versions 1 to {@code production} of {@code name} (4 inputs, 3 classes), promotes the
   * last, starts the server with {@code settings} and waits until it is ready.
   */
  InferenceServer serve(String name, int production, Map<String, Object> settings) {
    for (int v = 1; v <= production; v++) {
      registry.register(name, v, 4, 3);
    }
    registry.promote(name, production);
    Map<String, Object> all = new HashMap<>();
    all.put("bootstrap.servers", "127.0.0.1:9");
    all.put("schema.registry.url", "mock://serving");
    all.put("serve.port", 0);
    all.putAll(settings);
    server = InferenceServer.start(new InferenceConfig(all), registry, loader, Time.SYSTEM);
    await().atMost(WAIT).until(server::isReady);
    return server;
  }

  InferenceServer server() {
    return server;
  }

  /** The classifier last loaded for {@code version}, e.g. to {@link FakeClassifier#hold()} it. */
  FakeClassifier classifier(int version) {
    return classifiers.get(version);
  }

  /** A request to {@code path} (and query), which must already be URL-encoded. */
  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(TIMEOUT);
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** How many requests were refused for {@code reason} ({@code weft.inference.refused}). */
  double refused(String reason) {
    Counter counter =
        server.meterRegistry().find("weft.inference.refused").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Every request refused, whatever the reason. */
  double refused() {
    return server.meterRegistry().find("weft.inference.refused").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** A request of one row, {@code data} being its JSON array of 4 values. */
  static String oneRow(String data) {
    return "{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":"
        + data
        + "}]}";
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}

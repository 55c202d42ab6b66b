package io.weft.it;

import static io.weft.it.ServingKit.logits;
import static io.weft.it.ServingKit.probe;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.it.ServingKit.TrainedModel;
import io.weft.serving.InferenceServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inference server on the real broker and schema registry, with real DJL PyTorch models:
 * promotion and rollback swap the answers within 2 s while a client keeps sending requests, every
 * one of which is answered 200.
 */
@ExtendWith(WeftStackExtension.class)
class InferenceServerIT {

  private static final Duration SWAP = Duration.ofSeconds(2);
  private static final Duration START = Duration.ofSeconds(60);

  private ServingKit kit;

  @BeforeEach
  void kit(WeftStack stack) {
    kit = new ServingKit(stack);
  }

  @AfterEach
  void close() throws Exception {
    kit.close();
  }

  @Test
  void shouldSwapToThePromotedVersionAndBackOnRollbackWithoutFailingARequest() throws Exception {
    // given: v1 and v2 registered, v1 in production, a server answering with v1
    float[] probe = probe();
    TrainedModel v1 = kit.register("mnist", probe);
    TrainedModel v2 = kit.register("mnist", probe);
    assertThat(v1.answered(v2.logits())).as("the two models answer differently").isFalse();
    kit.registry().promote("mnist", v1.version(), null, true);
    InferenceServer server = kit.server(Map.of("serve.grpc.port", 0));
    URI uri = server.uri();
    await().atMost(START).until(server::isReady);
    assertThat(v1.answered(logits(kit.infer(uri, "mnist", probe)))).isTrue();

    // and: two clients sending requests all the time, over HTTP and over gRPC
    Client client = new Client(uri, probe);
    Thread thread = new Thread(client, "serving-it-client");
    thread.start();
    GrpcClient grpc = new GrpcClient(new GrpcProbe(server), probe);
    Thread grpcThread = new Thread(grpc, "serving-it-grpc-client");
    grpcThread.start();
    try {
      await().atMost(START).until(() -> client.answers.get() >= 20 && grpc.answers.get() >= 20);

      // when: v2 is promoted
      long promoted = System.nanoTime();
      kit.registry().promote("mnist", v2.version(), null, true);

      // then: the answers are v2's within 2 s
      await()
          .atMost(SWAP)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> v2.answered(client.last) && v2.answered(grpc.last));
      long promoteMs = (System.nanoTime() - promoted) / 1_000_000;

      // when: rolled back
      long rolledBack = System.nanoTime();
      kit.registry().rollback("mnist");

      // then: the answers are v1's again within 2 s
      await()
          .atMost(SWAP)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> v1.answered(client.last) && v1.answered(grpc.last));
      long rollbackMs = (System.nanoTime() - rolledBack) / 1_000_000;
      int before = client.answers.get();
      await().atMost(START).until(() -> client.answers.get() >= before + 20);
      List<Long> micros = client.latencies.stream().sorted().toList();
      System.out.printf(
          "Hot swap: promote visible after %d ms, rollback after %d ms; %d requests of one"
              + " 784-float row, one after the other: p50 %d us, p99 %d us%n",
          promoteMs,
          rollbackMs,
          micros.size(),
          micros.get(micros.size() / 2),
          micros.get(micros.size() * 99 / 100));
    } finally {
      client.stop.set(true);
      grpc.stop.set(true);
      thread.join(30_000);
      grpcThread.join(30_000);
      grpc.probe.close();
    }

    // and: every request was answered 200 (OK over gRPC), by v1 or v2, none failed
    assertThat(client.failures).isEmpty();
    assertThat(client.statuses.keySet()).containsExactly(200);
    assertThat(client.answers.get()).isGreaterThan(40);
    assertThat(grpc.failures).isEmpty();
    assertThat(grpc.versions)
        .containsOnly(String.valueOf(v1.version()), String.valueOf(v2.version()));
    assertThat(grpc.answers.get()).isGreaterThan(40);
  }

  @Test
  void shouldKeepServingTheOldVersionWhenTheNewOneCannotBeLoaded() throws Exception {
    // given
    float[] probe = probe();
    TrainedModel v1 = kit.register("mnist", probe);
    int corrupt = kit.registerCorrupt("mnist");
    kit.registry().promote("mnist", v1.version(), null, true);
    InferenceServer server = kit.server(Map.of());
    await().atMost(START).until(server::isReady);

    // when: the version with a sha256 mismatch is promoted
    kit.registry().promote("mnist", corrupt, null, true);

    // then: v1 keeps answering, and the server stays ready
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              HttpResponse<String> response = kit.infer(server.uri(), "mnist", probe);
              return response.statusCode() == 200 && v1.answered(logits(response));
            });
    assertThat(server.isReady()).isTrue();
  }

  @Test
  void shouldBeReadyOnlyOnceAProductionVersionIsLoaded() throws Exception {
    // given: production points at a version that cannot be loaded
    float[] probe = probe();
    int corrupt = kit.registerCorrupt("mnist");
    kit.registry().promote("mnist", corrupt, null, true);
    InferenceServer server = kit.server(Map.of());
    URI ready = server.uri().resolve("/v2/health/ready");

    // then: not ready, and the model neither
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> kit.get(ready).statusCode() == 503);
    assertThat(kit.get(server.uri().resolve("/v2/models/mnist/ready")).statusCode()).isEqualTo(503);
    assertThat(kit.get(server.uri().resolve("/v2/health/live")).statusCode()).isEqualTo(200);

    // when: a loadable version is promoted
    TrainedModel v2 = kit.register("mnist", probe);
    kit.registry().promote("mnist", v2.version(), null, true);

    // then: ready, and it answers with it
    await().atMost(START).until(() -> kit.get(ready).statusCode() == 200);
    assertThat(server.isReady()).isTrue();
    HttpResponse<String> response = kit.infer(server.uri(), "mnist", probe);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(v2.answered(logits(response))).isTrue();
  }

  @Test
  void shouldAnswer400NamingTheExpectedShapeAnd404ForAnUnknownModel() throws Exception {
    // given
    TrainedModel v1 = kit.register("mnist", probe());
    kit.registry().promote("mnist", v1.version(), null, true);
    InferenceServer server = kit.server(Map.of());
    await().atMost(START).until(server::isReady);

    // when
    HttpResponse<String> wrongShape =
        kit.post(
            server.uri().resolve("/v2/models/mnist/infer"),
            ServingKit.request(new long[] {1, 783}, new float[783]));
    HttpResponse<String> unknown = kit.infer(server.uri(), "fashion", probe());

    // then
    assertThat(wrongShape.statusCode()).isEqualTo(400);
    assertThat(ServingKit.JSON.readTree(wrongShape.body()).get("error").asText())
        .startsWith("input 'input-0' has shape [1, 783]; model 'mnist' expects [-1, 784]");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(ServingKit.JSON.readTree(unknown.body()).get("error").asText())
        .isEqualTo("model 'fashion' not found; served models: mnist");
  }

  @Test
  void shouldAnswerABatchWithOneLabelPerRow() throws Exception {
    // given
    float[] probe = probe();
    TrainedModel v1 = kit.register("mnist", probe);
    kit.registry().promote("mnist", v1.version(), null, true);
    InferenceServer server = kit.server(Map.of("serve.grpc.port", 0));
    await().atMost(START).until(server::isReady);
    float[] batch = new float[3 * 784];
    for (int row = 0; row < 3; row++) {
      System.arraycopy(probe, 0, batch, row * 784, 784);
    }

    // when
    HttpResponse<String> response =
        kit.post(
            server.uri().resolve("/v2/models/mnist/infer"),
            ServingKit.request(new long[] {3, 784}, batch));

    // then
    assertThat(response.statusCode()).isEqualTo(200);
    var body = ServingKit.JSON.readTree(response.body());
    assertThat(body.get("model_version").asText()).isEqualTo(Integer.toString(v1.version()));
    assertThat(body.at("/outputs/0/shape").toString()).isEqualTo("[3,10]");
    assertThat(body.at("/outputs/1/shape").toString()).isEqualTo("[3]");
    int expected = ServingKit.argmax(v1.logits());
    assertThat(body.at("/outputs/1/data"))
        .allSatisfy(l -> assertThat(l.asInt()).isEqualTo(expected));
  }

  @Test
  void shouldGiveTheSameAnswersToTheSameDigitsInJsonInBinaryTensorsAndOverGrpc() throws Exception {
    // given: three different rows
    float[] probe = probe();
    TrainedModel v1 = kit.register("mnist", probe);
    kit.registry().promote("mnist", v1.version(), null, true);
    InferenceServer server = kit.server(Map.of("serve.grpc.port", 0));
    await().atMost(START).until(server::isReady);
    float[] batch = new float[3 * 784];
    for (int row = 0; row < 3; row++) {
      for (int i = 0; i < 784; i++) {
        batch[row * 784 + i] = row == 0 ? probe[i] : (probe[(i + 97 * row) % 784] + row) / 2f;
      }
    }
    URI infer = server.uri().resolve("/v2/models/mnist/infer");

    // when
    HttpResponse<String> json = kit.post(infer, ServingKit.request(new long[] {3, 784}, batch));
    HttpResponse<byte[]> binary = kit.postBinary(infer, new long[] {3, 784}, batch);
    GrpcProbe.Answer grpc;
    try (GrpcProbe probeClient = new GrpcProbe(server)) {
      grpc = probeClient.infer("mnist", new long[] {3, 784}, batch);
    }

    // then: the binary answer's JSON header says where its raw outputs are, and they are the same
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(binary.statusCode()).as(new String(binary.body(), UTF_8)).isEqualTo(200);
    int headerLength =
        Integer.parseInt(
            binary.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    var header = ServingKit.JSON.readTree(java.util.Arrays.copyOf(binary.body(), headerLength));
    assertThat(header.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(3 * 10 * 4);
    assertThat(header.at("/outputs/1/parameters/binary_data_size").asInt()).isEqualTo(3 * 8);
    assertThat(header.at("/outputs/0/data").isMissingNode()).isTrue();
    java.nio.ByteBuffer raw =
        java.nio.ByteBuffer.wrap(binary.body(), headerLength, binary.body().length - headerLength)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    var expected = ServingKit.JSON.readTree(json.body());
    int index = 0;
    for (var logit : expected.at("/outputs/0/data")) {
      assertThat(raw.getFloat()).isEqualTo(logit.floatValue());
      assertThat(grpc.logits()[index++]).isEqualTo(logit.floatValue());
    }
    index = 0;
    for (var label : expected.at("/outputs/1/data")) {
      assertThat(raw.getLong()).isEqualTo(label.asLong());
      assertThat(grpc.labels()[index++]).isEqualTo(label.asLong());
    }
    assertThat(raw.hasRemaining()).isFalse();
    assertThat(grpc.logits()).hasSize(3 * 10);
    assertThat(grpc.labels()).hasSize(3);
    assertThat(java.util.Arrays.copyOfRange(grpc.logits(), 0, 10))
        .as("three different rows")
        .isNotEqualTo(java.util.Arrays.copyOfRange(grpc.logits(), 10, 20));
  }

  /** Sends one request after the other until stopped, recording every outcome. */
  private final class Client implements Runnable {
    final URI uri;
    final float[] probe;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger answers = new AtomicInteger();
    final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<Long> latencies = new CopyOnWriteArrayList<>();
    volatile float[] last = new float[0];

    Client(URI uri, float[] probe) {
      this.uri = uri;
      this.probe = probe;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        try {
          long start = System.nanoTime();
          HttpResponse<String> response = kit.infer(uri, "mnist", probe);
          latencies.add((System.nanoTime() - start) / 1000);
          statuses.merge(response.statusCode(), 1, Integer::sum);
          if (response.statusCode() == 200) {
            last = logits(response);
          } else {
            failures.add(response.statusCode() + " " + response.body());
          }
          answers.incrementAndGet();
        } catch (Exception e) {
          failures.add(e.toString());
        }
      }
    }
  }

  /** Sends one gRPC call after the other until stopped, recording every outcome. */
  private static final class GrpcClient implements Runnable {
    final GrpcProbe probe;
    final float[] row;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger answers = new AtomicInteger();
    final java.util.Set<String> versions = ConcurrentHashMap.newKeySet();
    final List<String> failures = new CopyOnWriteArrayList<>();
    volatile float[] last = new float[0];

    GrpcClient(GrpcProbe probe, float[] row) {
      this.probe = probe;
      this.row = row;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        try {
          GrpcProbe.Answer answer = probe.infer("mnist", new long[] {1, 784}, row);
          versions.add(answer.version());
          last = answer.logits();
          answers.incrementAndGet();
        } catch (RuntimeException e) {
          failures.add(e.toString());
        }
      }
    }
  }
}

package io.weft.serving;

import static io.weft.serving.RawConnection.head;
import static io.weft.serving.RawConnection.post;
import static io.weft.serving.ServingFixture.JSON;
import static io.weft.serving.ServingFixture.WAIT;
import static io.weft.serving.ServingFixture.oneRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.serving.grpc.v2.ServerLiveRequest;
import io.weft.serving.grpc.v2.ServerReadyRequest;
import io.weft.serving.internals.FakeClassifier;
import io.weft.serving.internals.HeadLimits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's connections, spoken to byte by byte: keep-alive and pipelined requests answered in
 * order, a slow forward pass that holds up no other connection, {@code Expect: 100-continue}, and
 * the refusals made while a request is read (a body announced over the limit, a head longer than
 * the server reads), each answered with a JSON error and {@code Connection: close}.
 */
class InferenceConnectionTest {

  private static final String INFER = "/v2/models/mnist/infer";

  private final ServingFixture serving = new ServingFixture();

  @AfterEach
  void close() {
    serving.close();
  }

  private URI uri() {
    return serving.server().uri();
  }

  @Test
  void shouldAnswerPipelinedRequestsOnOneConnectionInOrder() throws Exception {
    // given: a forward pass that waits
    serving.serve("mnist", 1, Map.of());
    FakeClassifier classifier = serving.classifier(1).hold();

    try (RawConnection connection = new RawConnection(uri())) {
      // when: three requests in one write, the slow one first
      connection.send(
          post(INFER, oneRow("[1,2,3,4]"))
              + head("GET", "/v2/health/live")
              + head("GET", "/v2/models/mnist/ready"));
      assertThat(classifier.awaitPredicting()).isTrue();
      classifier.release();

      // then: answered in the order asked, the connection kept open
      RawConnection.Answer infer = connection.read();
      RawConnection.Answer live = connection.read();
      RawConnection.Answer ready = connection.read();
      assertThat(infer.status()).isEqualTo(200);
      assertThat(JSON.readTree(infer.body()).path("model_name").asText()).isEqualTo("mnist");
      assertThat(JSON.readTree(live.body())).isEqualTo(JSON.readTree("{\"live\":true}"));
      assertThat(JSON.readTree(ready.body())).isEqualTo(JSON.readTree("{\"ready\":true}"));
      assertThat(List.of(infer, live, ready))
          .allSatisfy(answer -> assertThat(answer.headers()).doesNotContainKey("connection"));
      // and: the same connection answers the next request
      assertThat(connection.send(head("GET", "/v2/health/ready")).read().status()).isEqualTo(200);
    }
  }

  @Test
  void shouldAnswerGrpcProbesWhileEveryWorkerRunsAForwardPass() throws Exception {
    // given: the only gRPC worker holds a forward pass
    serving.serve("mnist", 1, Map.of("serve.threads", 1, "serve.grpc.port", 0));
    FakeClassifier classifier = serving.classifier(1).hold();
    try (GrpcClient grpc = new GrpcClient(serving.server())) {
      CompletableFuture<?> infer =
          CompletableFuture.supplyAsync(
              () ->
                  grpc.stub()
                      .modelInfer(GrpcClient.raw(GrpcClient.infer("mnist", 1, 4), 1, 2, 3, 4)));
      assertThat(classifier.awaitPredicting()).isTrue();

      // when, then: liveness and readiness answer
      assertThat(grpc.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
      assertThat(grpc.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
          .isTrue();
      assertThat(infer).isNotDone();
      classifier.release();
      await().atMost(WAIT).until(infer::isDone);
      assertThat(infer).isCompleted();
    }
  }

  @Test
  void shouldAnswerTheHealthProbeOnOtherConnectionsWhileAForwardPassWaits() throws Exception {
    // given: a forward pass that waits, on a connection of its own, holding the only worker
    serving.serve("mnist", 1, Map.of("serve.threads", 1));
    FakeClassifier classifier = serving.classifier(1).hold();
    CompletableFuture<HttpResponse<String>> infer =
        serving.http.sendAsync(
            serving
                .request(INFER)
                .POST(HttpRequest.BodyPublishers.ofString(oneRow("[1,2,3,4]")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(classifier.awaitPredicting()).isTrue();

    // when: probed on more new connections than the server has event loops (one a core), so that
    // at least one of them shares the waiting connection's loop
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i <= Runtime.getRuntime().availableProcessors(); i++) {
      try (RawConnection probe = new RawConnection(uri())) {
        statuses.add(probe.send(head("GET", "/v2/health/live")).read().status());
      }
    }

    // then: every probe is answered while the forward pass still waits, the worker busy
    HttpResponse<String> ready =
        serving.http.send(
            serving.request("/v2/health/ready").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(statuses).hasSize(Runtime.getRuntime().availableProcessors() + 1).containsOnly(200);
    assertThat(infer).isNotDone();
    classifier.release();
    await().atMost(WAIT).until(infer::isDone);
    assertThat(infer.get().statusCode()).isEqualTo(200);
  }

  @Test
  void shouldAskForTheBodyOfARequestThatExpects100Continue() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of());
    String body = oneRow("[1,2,3,4]");

    try (RawConnection connection = new RawConnection(uri())) {
      // when: the head alone, then the body once asked for it
      RawConnection.Answer proceed =
          connection
              .send(
                  head(
                      "POST",
                      INFER,
                      "Content-Type: application/json",
                      "Content-Length: " + body.length(),
                      "Expect: 100-continue"))
              .read();
      RawConnection.Answer answer = connection.send(body).read();

      // then
      assertThat(proceed.status()).isEqualTo(100);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(JSON.readTree(answer.body()).path("model_name").asText()).isEqualTo("mnist");
    }
  }

  @Test
  void shouldRefuseABodyAnnouncedOverTheLimitBeforeItIsSentThenCloseOnceItIs() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of("serve.max.request.bytes", 1024));

    try (RawConnection connection = new RawConnection(uri())) {
      // when: the head alone
      RawConnection.Answer answer =
          connection
              .send(head("POST", INFER, "Content-Type: application/json", "Content-Length: 4096"))
              .read();

      // then: refused at once, the connection to close
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.headers()).containsEntry("connection", "close");
      assertThat(JSON.readTree(answer.body()).get("error").asText())
          .isEqualTo(
              "request body of 4096 bytes is over serve.max.request.bytes (1024 bytes); send"
                  + " smaller batches");
      // and: what the client still sends is read, then the connection closed, not reset
      connection.send("x".repeat(4096));
      assertThat(connection.isClosedCleanly()).isTrue();
    }
    assertThat(serving.refused("body_too_large")).isEqualTo(1);
  }

  @Test
  void shouldRefuseAHeadOfMoreLinesThanTheServerReadsWith431() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of());
    String[] lines = new String[HeadLimits.READ_MAX_HEADERS];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = "X-Line-" + i + ": 1";
    }

    try (RawConnection connection = new RawConnection(uri())) {
      // when: with Host, one line more than the server reads
      RawConnection.Answer answer = connection.send(head("GET", "/v2/health/live", lines)).read();

      // then
      assertThat(answer.status()).isEqualTo(431);
      assertThat(answer.headers()).containsEntry("connection", "close");
      assertThat(JSON.readTree(answer.body()).get("error").asText())
          .isEqualTo(
              "request has more than 1000 header lines, more than the 100 this server accepts");
    }
    assertThat(serving.refused("too_many_headers")).isEqualTo(1);
  }

  @Test
  void shouldRefuseARequestLineLongerThanTheServerReadsWith414() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of());

    try (RawConnection connection = new RawConnection(uri())) {
      // when
      RawConnection.Answer answer =
          connection
              .send(head("GET", "/v2/models/" + "m".repeat(HeadLimits.READ_MAX_LINE) + "/ready"))
              .read();

      // then
      assertThat(answer.status()).isEqualTo(414);
      assertThat(answer.headers()).containsEntry("connection", "close");
      assertThat(JSON.readTree(answer.body()).get("error").asText())
          .isEqualTo(
              "request line of more than 65536 bytes; request targets over 8192 characters are"
                  + " refused");
    }
    assertThat(serving.refused("uri_too_long")).isEqualTo(1);
  }
}

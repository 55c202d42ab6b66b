package io.weft.serving;

import static io.weft.serving.ServingFixture.oneRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.weft.core.http.HttpSettings;
import io.weft.core.testing.HttpSecurityKit;
import io.weft.serving.grpc.v2.ModelInferResponse;
import io.weft.serving.internals.EchoModel;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic batching through a real server: a request waiting for its batch holds no thread, so with
 * a single worker as many requests merge as the batch takes, over HTTP and over gRPC, and each gets
 * its own rows back.
 */
class BatchedServingTest {

  private static final int BATCH = 6;

  /** A model answering its input, so that each request can tell its own rows. */
  private final ServingFixture serving =
      new ServingFixture(version -> new EchoModel("input-0:FP32:-1,4", "output-0:FP32:-1,4"));

  private final ExecutorService clients = Executors.newFixedThreadPool(BATCH);

  @AfterEach
  void close() {
    clients.shutdownNow();
    serving.close();
  }

  /**
   * One worker, and batches that wait 60 s until {@value #BATCH} rows have come: only requests that
   * are queued without a worker each can fill one before the clients time out.
   */
  private void serveWithOneWorker(Map<String, Object> more) {
    Map<String, Object> settings = new HashMap<>(more);
    settings.put("serve.threads", 1);
    settings.put("serve.grpc.port", 0);
    settings.put("serve.batching.model.echo.max.batch", BATCH);
    settings.put("serve.batching.model.echo.max.delay.us", 60_000_000);
    settings.put("serve.batching.model.echo.concurrency", 1);
    serving.serve("echo", 1, settings);
  }

  @Test
  void shouldMergeAsManyHttpRequestsAsTheBatchTakesWithOneWorker() throws Exception {
    serveWithOneWorker(Map.of());

    assertEachAnsweredItsOwnRowInOnePass(null);
  }

  @Test
  void shouldMergeRequestsThatCarryTokensWithOneWorker(@TempDir Path dir) throws Exception {
    // tokens are checked by the worker, not the event loop; the worker does not wait for the batch
    serveWithOneWorker(
        Map.of(HttpSettings.AUTH_TOKENS_FILE_CONFIG, HttpSecurityKit.tokenFile(dir).toString()));

    assertEachAnsweredItsOwnRowInOnePass(HttpSecurityKit.WRITER);
  }

  private void assertEachAnsweredItsOwnRowInOnePass(String token) throws Exception {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      String row = "[" + i + "," + i + "," + i + "," + i + "]";
      HttpRequest.Builder request =
          serving
              .request("/v2/models/echo/infer")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(oneRow(row)));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      answers.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return serving.send(request);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              clients));
    }

    for (int i = 0; i < BATCH; i++) {
      HttpResponse<String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(ServingFixture.json(answer).path("outputs").path(0).path("data").toString())
          .isEqualTo("[" + i + ".0," + i + ".0," + i + ".0," + i + ".0]");
    }
    assertOneForwardPassOfEveryRow();
  }

  @Test
  void shouldMergeAsManyGrpcCallsAsTheBatchTakesWithOneWorker() throws Exception {
    serveWithOneWorker(Map.of());

    try (GrpcClient grpc = new GrpcClient(serving.server())) {
      List<CompletableFuture<ModelInferResponse>> answers = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        float value = i;
        answers.add(
            CompletableFuture.supplyAsync(
                () ->
                    grpc.stub()
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .modelInfer(
                            GrpcClient.raw(
                                GrpcClient.infer("echo", 1, 4), value, value, value, value)),
                clients));
      }

      for (int i = 0; i < BATCH; i++) {
        ModelInferResponse answer = answers.get(i).get(30, TimeUnit.SECONDS);
        assertThat(answer.getOutputs(0).getShapeList()).containsExactly(1L, 4L);
        float[] values = new float[4];
        ByteBuffer.wrap(answer.getRawOutputContents(0).toByteArray())
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(values);
        assertThat(values).containsOnly(i);
      }
    }
    assertOneForwardPassOfEveryRow();
  }

  private void assertOneForwardPassOfEveryRow() {
    DistributionSummary passes =
        serving
            .server()
            .meterRegistry()
            .find("weft.inference.batch.size")
            .tag("model", "echo")
            .summary();
    assertThat(passes).isNotNull();
    assertThat(passes.count()).isEqualTo(1);
    assertThat(passes.totalAmount()).isEqualTo(BATCH);
  }
}

package io.weft.serving;

import static io.weft.serving.ServingFixture.oneRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.weft.serving.grpc.v2.ModelInferResponse;
import io.weft.serving.internals.EchoModel;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
  private void serveWithOneWorker() {
    serving.serve(
        "echo",
        1,
        Map.of(
            "serve.threads", 1,
            "serve.grpc.port", 0,
            "serve.batching.model.echo.max.batch", BATCH,
            "serve.batching.model.echo.max.delay.us", 60_000_000,
            "serve.batching.model.echo.concurrency", 1));
  }

  @Test
  void shouldMergeAsManyHttpRequestsAsTheBatchTakesWithOneWorker() throws Exception {
    serveWithOneWorker();

    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      String row = "[" + i + "," + i + "," + i + "," + i + "]";
      answers.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return serving.post("/v2/models/echo/infer", oneRow(row));
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
    serveWithOneWorker();

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

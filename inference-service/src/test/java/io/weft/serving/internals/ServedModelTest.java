package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.ml.api.Tensor;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a served model runs its forward pass: a model whose requests are not merged runs it on the
 * executor the caller names (a worker, when the caller is an event loop), a batched model on its
 * batcher's threads, never the caller's.
 */
class ServedModelTest {

  private final ExecutorService workers =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "test-worker"));

  @AfterEach
  void stop() {
    workers.shutdownNow();
  }

  /** The thread the last forward pass ran on. */
  private final AtomicReference<String> ranOn = new AtomicReference<>();

  /** An echo model that notes in {@link #ranOn} the thread each forward pass runs on. */
  private ForwardingServable recording() {
    return new ForwardingServable(new EchoModel("x:FP32:-1,2", "y:FP32:-1,2")) {
      @Override
      public List<Tensor> infer(List<Tensor> inputs) {
        ranOn.set(Thread.currentThread().getName());
        return model.infer(inputs);
      }

      @Override
      public void close() {}
    };
  }

  private static List<Tensor> row() {
    return List.of(Tensor.ofFloats("x", new float[] {1, 2}, 1, 2));
  }

  @Test
  void shouldRunAnUnbatchedForwardPassOnTheExecutorItIsGiven() throws Exception {
    ServedModel model = new ServedModel("m", 1, recording());

    List<Tensor> answer = model.infer(row(), workers).get(10, TimeUnit.SECONDS);

    assertThat(ranOn.get()).isEqualTo("test-worker");
    assertThat(answer.get(0).toFloats()).containsExactly(1f, 2f);
  }

  @Test
  void shouldRunABatchedForwardPassOnTheBatchersThreadNotTheExecutor() throws Exception {
    DynamicBatcher batcher = new DynamicBatcher(recording(), "m", 4, 0, 1, rows -> {});
    ServedModel model = new ServedModel("m", 1, batcher);

    List<Tensor> answer = model.infer(row(), workers).get(10, TimeUnit.SECONDS);

    assertThat(ranOn.get()).startsWith("weft-serving-batch-");
    assertThat(answer.get(0).toFloats()).containsExactly(1f, 2f);
    batcher.close();
  }
}

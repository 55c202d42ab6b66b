package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

  private final ExecutorService clients = Executors.newFixedThreadPool(16);
  private final List<Integer> passes = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);

  @AfterEach
  void stop() {
    gate.countDown();
    clients.shutdownNow();
  }

  /** An echo model of x FP32 [-1, -1] whose forward passes wait for the gate. */
  private Servable held(UnaryOperator<List<Tensor>> answer) {
    return held(new EchoModel("x:FP32:-1,-1", "y:FP32:-1,-1"), gate, answer);
  }

  /** {@code echo}, its forward passes waiting for {@code release}, answering {@code answer}. */
  private Servable held(
      EchoModel echo, CountDownLatch release, UnaryOperator<List<Tensor>> answer) {
    return new Servable() {
      @Override
      public String platform() {
        return "test";
      }

      @Override
      public List<TensorSpec> inputs() {
        return echo.inputs();
      }

      @Override
      public List<TensorSpec> outputs() {
        return echo.outputs();
      }

      @Override
      public List<Tensor> infer(List<Tensor> inputs) {
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return answer.apply(echo.infer(inputs));
      }

      @Override
      public void close() {}
    };
  }

  private static List<Tensor> row(float value, int width) {
    float[] values = new float[width];
    java.util.Arrays.fill(values, value);
    return List.of(Tensor.ofFloats("x", values, 1, width));
  }

  private List<CompletableFuture<List<Tensor>>> send(Servable model, int count, int width) {
    return send(model, 0, count, width);
  }

  private List<CompletableFuture<List<Tensor>>> send(
      Servable model, int from, int count, int width) {
    List<CompletableFuture<List<Tensor>>> answers = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      float value = i;
      answers.add(CompletableFuture.supplyAsync(() -> model.infer(row(value, width)), clients));
    }
    return answers;
  }

  @Test
  void shouldMergeConcurrentRequestsIntoFewForwardPassesAndGiveEachItsOwnRows() throws Exception {
    // one forward pass runs at a time; while the first is held, the other 15 queue up
    DynamicBatcher batcher =
        new DynamicBatcher(held(UnaryOperator.identity()), "m", 8, 1_000, 1, passes::add);
    List<CompletableFuture<List<Tensor>>> first = send(batcher, 1, 3);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<List<Tensor>>> rest = send(batcher, 1, 15, 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> queued(batcher) == 15);

    gate.countDown();

    assertThat(first.get(0).get(10, TimeUnit.SECONDS).get(0).toFloats()).containsOnly(0f);
    for (int i = 0; i < rest.size(); i++) {
      Tensor y = rest.get(i).get(10, TimeUnit.SECONDS).get(0);
      assertThat(y.name()).isEqualTo("y");
      assertThat(y.shape()).containsExactly(1, 3);
      assertThat(y.toFloats()).containsOnly(i + 1f);
    }
    // 1 held, then 15 queued at most 8 rows at a time: 8 and 7
    assertThat(passes).containsExactly(1, 8, 7);
    batcher.close();
  }

  @Test
  void shouldNotMergeRequestsWhoseInputsDifferBeyondTheBatchDimension() throws Exception {
    DynamicBatcher batcher =
        new DynamicBatcher(held(UnaryOperator.identity()), "m", 8, 1_000, 1, passes::add);
    send(batcher, 1, 3);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<List<Tensor>>> narrow = send(batcher, 2, 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> queued(batcher) == 2);
    List<CompletableFuture<List<Tensor>>> wide = send(batcher, 2, 5);
    await().atMost(Duration.ofSeconds(10)).until(() -> queued(batcher) == 4);

    gate.countDown();

    assertThat(wide.get(1).get(10, TimeUnit.SECONDS).get(0).shape()).containsExactly(1, 5);
    assertThat(narrow.get(1).get(10, TimeUnit.SECONDS).get(0).shape()).containsExactly(1, 3);
    assertThat(passes).containsExactly(1, 2, 2);
    batcher.close();
  }

  @Test
  void shouldFailEveryRequestOfABatchWhoseModelAnswersOtherRows() throws Exception {
    DynamicBatcher batcher =
        new DynamicBatcher(
            held(outputs -> List.of(Tensor.ofFloats("y", new float[] {0}, 1, 1))),
            "m",
            8,
            1_000,
            1,
            passes::add);
    send(batcher, 1, 1);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<List<Tensor>>> merged = send(batcher, 3, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> queued(batcher) == 3);

    gate.countDown();

    for (CompletableFuture<List<Tensor>> answer : merged) {
      assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
          .hasRootCauseMessage(
              "model 'm' answered output 'y' with 1 rows for a batch of 3; it cannot be batched"
                  + " (set its serve.batching max.batch to 1)");
    }
    batcher.close();
  }

  @Test
  void shouldRunARequestOfMaxBatchRowsAloneAtOnce() {
    gate.countDown();
    DynamicBatcher batcher =
        new DynamicBatcher(held(UnaryOperator.identity()), "m", 4, 1_000_000, 1, passes::add);

    List<Tensor> answer = batcher.infer(List.of(Tensor.ofFloats("x", new float[8], 4, 2)));

    assertThat(answer.get(0).shape()).containsExactly(4, 2);
    assertThat(passes).containsExactly(4);
    batcher.close();
  }

  @Test
  void shouldRefuseAModelWithoutABatchDimension() {
    assertThatThrownBy(
            () ->
                new DynamicBatcher(
                    new EchoModel("x:FP32:3", "y:FP32:3"), "fixed", 8, 1_000, 1, passes::add))
        .hasMessage("model 'fixed' cannot be batched");
    assertThat(
            new Batching(8, 1_000, 1, true)
                .serve(new EchoModel("x:FP32:3", "y:FP32:3"), "f", r -> {}))
        .isNotInstanceOf(DynamicBatcher.class);
  }

  @Test
  void shouldBatchAModelFromElsewhereOnlyWhenAskedByName() {
    Servable file = new EchoModel("x:FP32:-1,3", "y:FP32:-1,3");
    Servable classifier =
        new FakeClassifier(new io.weft.ml.api.ModelSpec("mlp", new int[0], 4, 3), 1);

    Servable everyModel = new Batching(8, 1_000, 1, false).serve(file, "file", r -> {});
    Servable byName = new Batching(8, 1_000, 1, true).serve(file, "file", r -> {});
    Servable ownClassifier = new Batching(8, 1_000, 1, false).serve(classifier, "c", r -> {});

    assertThat(everyModel).isNotInstanceOf(DynamicBatcher.class);
    assertThat(byName).isInstanceOf(DynamicBatcher.class);
    assertThat(ownClassifier).isInstanceOf(DynamicBatcher.class);
    byName.close();
    ownClassifier.close();
  }

  @Test
  void shouldGiveEachRequestOfSeveralRowsItsOwnRowsOfEveryOutput() throws Exception {
    // a model of two inputs echoed as two outputs of other widths and types: x FP32 [-1, 3],
    // ids INT64 [-1]; requests of 1, 3 and 2 rows merged into one pass
    EchoModel echo = new EchoModel("x:FP32:-1,3;ids:INT64:-1", "y:FP32:-1,3;n:INT64:-1");
    CountDownLatch release = new CountDownLatch(1);
    Servable held = held(echo, release, UnaryOperator.identity());
    DynamicBatcher batcher = new DynamicBatcher(held, "m", 16, 1_000, 1, passes::add);
    CompletableFuture<List<Tensor>> first =
        CompletableFuture.supplyAsync(() -> batcher.infer(rows(0, 1)), clients);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<List<Tensor>>> merged = new ArrayList<>();
    int start = 1;
    for (int n : new int[] {1, 3, 2}) {
      int from = start;
      merged.add(CompletableFuture.supplyAsync(() -> batcher.infer(rows(from, n)), clients));
      int queuedNow = merged.size();
      await().atMost(Duration.ofSeconds(10)).until(() -> batcher.queued() == queuedNow);
      start += n;
    }

    release.countDown();

    first.get(10, TimeUnit.SECONDS);
    start = 1;
    int index = 0;
    for (int n : new int[] {1, 3, 2}) {
      List<Tensor> answer = merged.get(index++).get(10, TimeUnit.SECONDS);
      assertThat(answer.get(0).shape()).containsExactly(n, 3);
      assertThat(answer.get(1).shape()).containsExactly(n);
      assertThat(answer).isEqualTo(renamed(rows(start, n)));
      start += n;
    }
    assertThat(passes).containsExactly(1, 6);
    batcher.close();
  }

  /** Rows {@code from} to {@code from + n - 1}: x row r is (r, r + 0.5, -r), ids r is 1000 r. */
  private static List<Tensor> rows(int from, int n) {
    float[] x = new float[n * 3];
    long[] ids = new long[n];
    for (int r = 0; r < n; r++) {
      int row = from + r;
      x[r * 3] = row;
      x[r * 3 + 1] = row + 0.5f;
      x[r * 3 + 2] = -row;
      ids[r] = 1000L * row;
    }
    return List.of(Tensor.ofFloats("x", x, n, 3), Tensor.ofLongs("ids", ids, n));
  }

  private static List<Tensor> renamed(List<Tensor> inputs) {
    return List.of(inputs.get(0).named("y"), inputs.get(1).named("n"));
  }

  private static int queued(DynamicBatcher batcher) {
    return batcher.queued();
  }
}

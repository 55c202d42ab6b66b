package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.common.WeftException;
import io.weft.core.testing.ManualTime;
import io.weft.ml.api.Classifier;
import io.weft.ml.api.ModelLoader;
import io.weft.ml.api.ModelSpec;
import io.weft.schemas.models.ModelVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServedModelsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration SHORT = Duration.ofMillis(300);

  private final FakeRegistry registry = new FakeRegistry();
  private final Map<String, FakeClassifier> loaded = new ConcurrentHashMap<>();
  private final List<String> attempts = new CopyOnWriteArrayList<>();
  private final Set<String> broken = ConcurrentHashMap.newKeySet();
  private ServedModels models;

  private final ModelLoader loader =
      version -> {
        String key = version.getName() + ":" + version.getVersion();
        attempts.add(key);
        if (broken.contains(key)) {
          throw new WeftException("Cannot load model '" + key + "': sha256 mismatch");
        }
        FakeClassifier classifier =
            new FakeClassifier(
                ModelSpec.fromProperties(version.getProperties()), version.getVersion());
        loaded.put(key, classifier);
        return classifier;
      };

  @AfterEach
  void close() {
    if (models != null) {
      models.close();
    }
  }

  @Test
  void shouldBeReadyOnlyOnceTheStartUpProductionVersionIsLoaded() {
    // given
    registry.register("mnist", 1, 4, 3);
    registry.promote("mnist", 1);
    models = new ServedModels(registry, loader, Set.of(), Time.SYSTEM);

    // when
    models.start();

    // then
    await().atMost(WAIT).until(models::isReady);
    assertThat(models.peek("mnist")).get().extracting(ServedModel::version).isEqualTo(1);
    assertThat(models.loaded()).containsExactly("mnist");
  }

  @Test
  void shouldNotBeReadyWhileAProductionModelCannotBeLoaded() {
    // given: the only production version is broken
    registry.register("mnist", 1, 4, 3);
    registry.promote("mnist", 1);
    broken.add("mnist:1");
    models = new ServedModels(registry, loader, Set.of(), Time.SYSTEM);

    // when
    models.start();

    // then
    await().atMost(WAIT).until(() -> attempts.contains("mnist:1"));
    assertThat(models.isReady()).isFalse();
    assertThat(models.isServed("mnist")).isTrue();
    assertThat(models.isReady("mnist")).isFalse();
  }

  @Test
  void shouldCloseTheOldVersionOnlyAfterItsInFlightRequestReleasedIt() throws Exception {
    // given: v1 in production, a request using it held in predict
    registry.register("mnist", 1, 4, 3);
    registry.register("mnist", 2, 4, 3);
    registry.promote("mnist", 1);
    models = new ServedModels(registry, loader, Set.of(), Time.SYSTEM).start();
    await().atMost(WAIT).until(models::isReady);
    FakeClassifier v1 = loaded.get("mnist:1").hold();
    ServedModel inFlight = models.acquire("mnist").orElseThrow();
    CompletableFuture<Classifier.Prediction> answer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return FakeClassifier.of(inFlight).predict(new float[4], 1);
              } finally {
                inFlight.release();
              }
            });
    assertThat(v1.awaitPredicting()).isTrue();

    // when: v2 is promoted
    registry.promote("mnist", 2);

    // then: new requests get v2 while v1 stays open for the request still using it
    await().atMost(WAIT).until(() -> models.peek("mnist").orElseThrow().version() == 2);
    ServedModel next = models.acquire("mnist").orElseThrow();
    assertThat(next.version()).isEqualTo(2);
    next.release();
    assertThat(v1.isClosed()).isFalse();

    // and: v1 closes when that request is done, which got v1's answer
    v1.release();
    assertThat(answer.get().logits()).containsOnly(1f);
    await().atMost(WAIT).until(v1::isClosed);
    assertThat(loaded.get("mnist:2").isClosed()).isFalse();
  }

  @Test
  void shouldKeepServingTheOldVersionWhenTheNewOneFailsToLoad() {
    // given
    registry.register("mnist", 1, 4, 3);
    registry.register("mnist", 2, 4, 3);
    registry.promote("mnist", 1);
    broken.add("mnist:2");
    models = new ServedModels(registry, loader, Set.of(), Time.SYSTEM).start();
    await().atMost(WAIT).until(models::isReady);

    // when
    registry.promote("mnist", 2);

    // then: the load was tried, and v1 still answers
    await().atMost(WAIT).until(() -> attempts.contains("mnist:2"));
    ServedModel served = models.acquire("mnist").orElseThrow();
    try {
      assertThat(served.version()).isEqualTo(1);
      assertThat(FakeClassifier.of(served).predict(new float[4], 1).logits()).containsOnly(1f);
    } finally {
      served.release();
    }
    assertThat(loaded.get("mnist:1").isClosed()).isFalse();
    assertThat(models.isReady()).isTrue();
  }

  @Test
  void shouldWakeAWaiterWhenTheAwaitedVersionIsSwappedIn() throws Exception {
    // given
    registry.register("mnist", 1, 4, 3);
    registry.register("mnist", 2, 4, 3);
    registry.promote("mnist", 1);
    models = new ServedModels(registry, loader, Set.of(), Time.SYSTEM).start();
    assertThat(models.await(models::isReady, WAIT)).isTrue();

    // when
    registry.promote("mnist", 2);

    // then
    assertThat(
            models.await(() -> models.peek("mnist").map(m -> m.version() == 2).orElse(false), WAIT))
        .isTrue();
    assertThat(models.await(() -> models.peek("mnist").orElseThrow().version() == 3, SHORT))
        .as("a version that never comes")
        .isFalse();
  }

  @Test
  void shouldStopWaitingWhenItsClockPassesTheTimeout() throws Exception {
    // given: a server that is never ready, and a waiter willing to wait an hour by its clock
    ManualTime time = new ManualTime();
    models = new ServedModels(registry, loader, Set.of(), time);
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(() -> awaitReady(models, Duration.ofHours(1)));
    await().atMost(WAIT).until(time::hasWaiters);

    // when
    time.advance(Duration.ofHours(1));

    // then
    assertThat(waited.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
  }

  private static boolean awaitReady(ServedModels models, Duration timeout) {
    try {
      return models.await(models::isReady, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldSwapBackOnRollbackAndIgnoreOtherAliases() {
    // given
    registry.register("mnist", 1, 4, 3);
    registry.register("mnist", 2, 4, 3);
    registry.promote("mnist", 1);
    models = new ServedModels(registry, loader, Set.of(), Time.SYSTEM).start();
    await().atMost(WAIT).until(models::isReady);
    registry.promote("mnist", 2);
    await().atMost(WAIT).until(() -> models.peek("mnist").orElseThrow().version() == 2);

    // when: production moves back to 1
    registry.promote("mnist", 1);

    // then
    await().atMost(WAIT).until(() -> models.peek("mnist").orElseThrow().version() == 1);
    assertThat(attempts).containsExactly("mnist:1", "mnist:2", "mnist:1");
  }

  @Test
  void shouldServeOnlyTheConfiguredModels() {
    // given
    registry.register("mnist", 1, 4, 3);
    registry.register("other", 1, 4, 3);
    registry.promote("mnist", 1);
    registry.promote("other", 1);
    models = new ServedModels(registry, loader, Set.of("mnist"), Time.SYSTEM);

    // when
    models.start();

    // then
    await().atMost(WAIT).until(models::isReady);
    assertThat(models.loaded()).containsExactly("mnist");
    assertThat(models.isServed("other")).isFalse();
    assertThat(attempts).doesNotContain("other:1");
  }

  @Test
  void shouldLoadARequestedVersionOnDemandOnceAndKeepProductionAsItIs() {
    // given
    registry.register("mnist", 1, 4, 3);
    registry.register("mnist", 2, 4, 3);
    registry.promote("mnist", 2);
    models = new ServedModels(registry, loader, Set.of(), Time.SYSTEM).start();
    await().atMost(WAIT).until(models::isReady);

    // when
    ServedModel first = models.acquire("mnist", 1).orElseThrow();
    ServedModel second = models.acquire("mnist", 1).orElseThrow();
    first.release();
    second.release();

    // then
    assertThat(first.version()).isEqualTo(1);
    assertThat(second).isSameAs(first);
    assertThat(attempts).containsExactly("mnist:2", "mnist:1");
    assertThat(models.peek("mnist").orElseThrow().version()).isEqualTo(2);
    assertThat(models.acquire("mnist", 7)).isEmpty();
  }

  @Test
  void shouldCloseEveryLoadedModelOnClose() {
    // given
    ModelVersion v1 = registry.register("mnist", 1, 4, 3);
    registry.promote("mnist", v1.getVersion());
    models = new ServedModels(registry, loader, Set.of(), Time.SYSTEM).start();
    await().atMost(WAIT).until(models::isReady);

    // when
    models.close();
    models = null;

    // then
    assertThat(loaded.get("mnist:1").isClosed()).isTrue();
  }
}

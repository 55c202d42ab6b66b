package io.weft.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.ModelNotFoundException;
import io.weft.core.api.ModelRegistry;
import io.weft.core.api.ModelRegistryException;
import io.weft.core.api.Promotion;
import io.weft.core.api.WeftClient;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.AliasChange;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The model registry on the real broker and schema registry. */
@ExtendWith(WeftStackExtension.class)
class ModelRegistryIT {

  private Map<String, Object> settings;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void settings(WeftStack stack) {
    settings = new HashMap<>();
    settings.put("bootstrap.servers", stack.bootstrapServers());
    settings.put("schema.registry.url", stack.schemaRegistryUrl());
    settings.put(
        "weft.topic.prefix", "models-it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private ModelRegistry registry() {
    ModelRegistry registry = ModelRegistry.create(settings);
    closeables.add(registry);
    return registry;
  }

  @Test
  void shouldCreateCompactedSinglePartitionTopicsOnFirstUse(WeftStack stack) throws Exception {
    // when
    ModelRegistry registry = registry();

    // then
    String versions = registry.topics().modelVersions();
    String aliases = registry.topics().modelAliases();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      Map<String, TopicDescription> described =
          admin.describeTopics(List.of(versions, aliases)).allTopicNames().get();
      assertThat(described.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(1));
      for (String topic : List.of(versions, aliases)) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String policy =
            admin
                .describeConfigs(List.of(resource))
                .all()
                .get()
                .get(resource)
                .get("cleanup.policy")
                .value();
        assertThat(policy).as(topic).isEqualTo("compact");
      }
    }
  }

  @Test
  void shouldRegisterVersionsAndReturnTheSameVersionForTheSameRunAndTask() {
    // given
    ModelRegistry registry = registry();

    // when
    ModelVersion first = register(registry, "mnist", 0.90, "run-1");
    ModelVersion second = register(registry, "mnist", 0.95, "run-2");
    ModelVersion again = register(registry, "mnist", 0.99, "run-1");

    // then
    assertThat(first.getVersion()).isEqualTo(1);
    assertThat(second.getVersion()).isEqualTo(2);
    assertThat(again).isEqualTo(first);
    assertThat(registry.models()).containsExactly("mnist");
    assertThat(registry.versions("mnist")).containsExactly(first, second);
    assertThat(registry.version("mnist", 2)).contains(second);
    assertThat(registry.versions("unknown")).isEmpty();
    assertThat(second.getProperties()).containsEntry("architecture", "mlp");
  }

  @Test
  void shouldPromoteCompareAndRollBack() {
    // given
    ModelRegistry registry = registry();
    register(registry, "mnist", 0.90, "run-1");
    register(registry, "mnist", 0.85, "run-2");
    register(registry, "mnist", 0.95, "run-3");

    // when: v1 becomes production, v2 is refused, v3 accepted
    Promotion first = registry.promote("mnist", 1, "accuracy", true);
    Promotion worse = registry.promote("mnist", 2, "accuracy", true);
    Promotion better = registry.promote("mnist", 3, "accuracy", true);
    Promotion same = registry.promote("mnist", 3, "accuracy", true);

    // then
    assertThat(first.promoted()).isTrue();
    assertThat(worse.promoted()).isFalse();
    assertThat(worse.reason()).contains("does not beat production version 1");
    assertThat(better.promoted()).isTrue();
    assertThat(better.change().getHistory()).containsExactly(1);
    assertThat(same).isEqualTo(new Promotion(false, null, "already production"));
    assertThat(registry.production("mnist")).map(ModelVersion::getVersion).contains(3);

    // when: rolled back
    ModelAliasChanged rollback = registry.rollback("mnist");

    // then: production is v1 again, and there is nothing further back
    assertThat(rollback.getChange()).isEqualTo(AliasChange.ROLLBACK);
    assertThat(rollback.getPreviousVersion()).isEqualTo(3);
    assertThat(registry.production("mnist")).map(ModelVersion::getVersion).contains(1);
    assertThat(registry.alias("mnist", "production")).contains(rollback);
    assertThatThrownBy(() -> registry.rollback("mnist"))
        .isInstanceOf(ModelRegistryException.class)
        .hasMessage("model 'mnist' has no earlier production version to roll back to");
  }

  @Test
  void shouldFailPromotionsOfUnknownVersionsAndMissingMetricsNamingThem() {
    // given
    ModelRegistry registry = registry();
    register(registry, "mnist", 0.90, "run-1");
    registry.register("mnist", artifact(), Map.of(), Map.of(), "run-2", "train");
    registry.promote("mnist", 1, null, true);

    // when / then
    assertThatThrownBy(() -> registry.promote("mnist", 7, null, true))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'mnist' has no version 7; versions: 1, 2");
    assertThatThrownBy(() -> registry.promote("other", 1, null, true))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'other' is not registered; models: mnist");
    assertThatThrownBy(() -> registry.promote("mnist", 2, "accuracy", true))
        .isInstanceOf(ModelRegistryException.class)
        .hasMessageContaining("metric 'accuracy'")
        .hasMessageContaining("version 2");
    assertThat(registry.production("mnist")).map(ModelVersion::getVersion).contains(1);
  }

  @Test
  void shouldFailOnAnUnknownSettingNamingIt() {
    // given
    settings.put("bootstrap.server", "typo:9092");

    // when / then
    assertThatThrownBy(() -> ModelRegistry.create(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'bootstrap.server'");
  }

  @Test
  void shouldTellFollowersTheCurrentAliasesFirstThenEachChange() throws Exception {
    // given: production already points at v1
    ModelRegistry registry = registry();
    register(registry, "mnist", 0.90, "run-1");
    register(registry, "mnist", 0.95, "run-2");
    registry.promote("mnist", 1, null, true);
    List<ModelAliasChanged> seen = new CopyOnWriteArrayList<>();

    // when
    try (AutoCloseable following = registry.followAliases(seen::add)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
      registry.promote("mnist", 2, "accuracy", true);
      registry.rollback("mnist");

      // then
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 3);
    }
    assertThat(seen)
        .extracting(ModelAliasChanged::getVersion, ModelAliasChanged::getChange)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, AliasChange.PROMOTE),
            org.assertj.core.groups.Tuple.tuple(2, AliasChange.PROMOTE),
            org.assertj.core.groups.Tuple.tuple(1, AliasChange.ROLLBACK));
  }

  @Test
  void shouldGiveConcurrentWritersOfTwoRegistriesConsecutiveDistinctVersions() throws Exception {
    // given: two registries (each its own clients, as two processes), two threads each
    List<ModelRegistry> registries = List.of(registry(), registry());
    registries.forEach(r -> r.models()); // connected and caught up before the race
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<Integer>>> results = new ArrayList<>();

    // when: 4 writers x 5 registrations of one model, at once
    long started = System.nanoTime();
    try {
      for (int w = 0; w < 4; w++) {
        ModelRegistry registry = registries.get(w % 2);
        String writer = "writer-" + w;
        results.add(
            threads.submit(
                () -> {
                  start.await();
                  List<Integer> got = new ArrayList<>();
                  for (int i = 0; i < 5; i++) {
                    got.add(register(registry, "race", 0.5, writer + "-" + i).getVersion());
                  }
                  return got;
                }));
      }
      start.countDown();
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> result : results) {
        all.addAll(result.get(120, TimeUnit.SECONDS));
      }
      double seconds = (System.nanoTime() - started) / 1e9;

      // then
      assertThat(all)
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
      for (ModelRegistry registry : registries) {
        assertThat(registry.versions("race"))
            .extracting(ModelVersion::getVersion)
            .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
      }
      System.out.printf(
          "Model registry: 20 concurrent registrations from 2 registries x 2 threads in %.2f s%n",
          seconds);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void shouldRebuildTheSameStateInAFreshRegistry() {
    // given
    ModelRegistry registry = registry();
    register(registry, "mnist", 0.90, "run-1");
    register(registry, "mnist", 0.95, "run-2");
    register(registry, "cifar", 0.70, "run-1");
    registry.promote("mnist", 1, null, true);
    registry.promote("mnist", 2, "accuracy", true);
    registry.promote("cifar", 1, null, true);
    registry.rollback("mnist");

    // when
    ModelRegistry fresh = registry();

    // then
    assertThat(fresh.models()).isEqualTo(registry.models()).containsExactly("cifar", "mnist");
    for (String model : registry.models()) {
      assertThat(fresh.versions(model)).isEqualTo(registry.versions(model));
      assertThat(fresh.alias(model, "production")).isEqualTo(registry.alias(model, "production"));
      assertThat(fresh.production(model)).isEqualTo(registry.production(model));
    }
  }

  @Test
  void shouldOfferTheRegistryThroughTheClient() {
    // given
    try (WeftClient client = WeftClient.create(settings)) {
      // when
      ModelVersion v1 =
          client.registerModel(
              "mnist", artifact(), Map.of("accuracy", 0.9), Map.of(), "run-1", "train");
      ModelVersion v2 =
          client.registerModel(
              "mnist", artifact(), Map.of("accuracy", 0.8), Map.of(), "run-2", "train");
      Promotion promoted = client.promoteModel("mnist", 1, null, true);
      Promotion refused = client.promoteModel("mnist", 2, "accuracy", true);
      client.promoteModel("mnist", 2, null, true);
      ModelAliasChanged rollback = client.rollbackModel("mnist");

      // then
      assertThat(client.models()).containsExactly("mnist");
      assertThat(client.modelVersions("mnist")).containsExactly(v1, v2);
      assertThat(promoted.promoted()).isTrue();
      assertThat(refused.promoted()).isFalse();
      assertThat(rollback.getVersion()).isEqualTo(1);
      assertThat(client.production("mnist")).contains(v1);
    }
  }

  private static ModelVersion register(
      ModelRegistry registry, String name, double accuracy, String runId) {
    return registry.register(
        name,
        artifact(),
        Map.of("accuracy", accuracy),
        Map.of("architecture", "mlp", "width", "784"),
        runId,
        "train");
  }

  private static ArtifactRef artifact() {
    return new ArtifactRef(
        "file:///tmp/model.params",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        400_000L,
        "application/x-djl-params");
  }
}

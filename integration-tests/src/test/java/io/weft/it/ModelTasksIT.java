package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.api.ModelRegistry;
import io.weft.core.api.Retry;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.TaskView;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.ml.tasks.PromoteModel;
import io.weft.ml.tasks.RegisterModel;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import io.weft.workers.internals.TaskContextImpl;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The register-model and promote-model task types in workflows, on the real broker and registry.
 */
@ExtendWith(WeftStackExtension.class)
class ModelTasksIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WeftInstallation kit;
  private Worker worker;

  @AfterEach
  void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (kit != null) {
      kit.close();
    }
  }

  /** A coordinator and one worker serving a fake trainer and the two model task types. */
  private WeftClient start(WeftStack stack, String name) {
    kit =
        WeftInstallation.forTests(stack, name).withHandlers(new TestHandlers()).startCoordinator();
    worker =
        Worker.builder(kit.workerSettings())
            .handler(new FakeTrain())
            .handler(new RegisterModel())
            .handler(new PromoteModel())
            .build()
            .start();
    return kit.client();
  }

  @Test
  void shouldRegisterEachTrainedModelAndPromoteOnlyThoseThatBeatProduction(WeftStack stack) {
    // given: train -> register -> promote on accuracy
    WeftClient client = start(stack, "modeltasks");
    client.register(
        WorkflowDefinition.builder("train-and-promote", 1)
            .param("accuracy", 0.5)
            .task(
                TaskDefinition.builder("train", FakeTrain.TYPE)
                    .param("accuracy", "${params.accuracy}"))
            .task(
                TaskDefinition.builder("register", RegisterModel.TYPE)
                    .dependsOn("train")
                    .param("name", "mnist")
                    .param("model", "${tasks.train.outputs.model}")
                    .param("metrics", "${tasks.train.outputs.metrics}")
                    .param("properties", "${tasks.train.outputs.properties}"))
            .task(
                TaskDefinition.builder("promote", PromoteModel.TYPE)
                    .dependsOn("register")
                    .param("name", "${tasks.register.outputs.name}")
                    .param("version", "${tasks.register.outputs.version}")
                    .param("metric", "accuracy"))
            .build());

    // when: three runs, the second worse than the first, the third better
    RunView first = run(client, "train-and-promote", Map.of("accuracy", 0.90));
    RunView worse = run(client, "train-and-promote", Map.of("accuracy", 0.80));
    RunView better = run(client, "train-and-promote", Map.of("accuracy", 0.95));

    // then: every run succeeded, registered the next version, and promoted v1 and v3 only
    assertThat(first.status()).isEqualTo(RunView.Status.SUCCEEDED);
    assertThat(worse.status()).isEqualTo(RunView.Status.SUCCEEDED);
    assertThat(better.status()).isEqualTo(RunView.Status.SUCCEEDED);
    assertThat(outputs(first, "register").get("version").asInt()).isEqualTo(1);
    assertThat(outputs(worse, "register").get("version").asInt()).isEqualTo(2);
    assertThat(outputs(better, "register").get("version").asInt()).isEqualTo(3);
    assertThat(outputs(first, "promote").get("promoted").asBoolean()).isTrue();
    Map<String, JsonNode> refused = outputs(worse, "promote");
    assertThat(refused.get("promoted").asBoolean()).isFalse();
    assertThat(refused.get("productionVersion").asInt()).isEqualTo(1);
    assertThat(refused.get("reason").asText()).contains("does not beat production version 1");
    assertThat(outputs(better, "promote").get("productionVersion").asInt()).isEqualTo(3);
    assertThat(outputs(better, "register").get("model").get("uri").asText())
        .isEqualTo(outputs(better, "train").get("model").get("uri").asText());

    // and: the registry holds the versions with their metrics, properties and source
    ModelVersion v3 = client.modelVersions("mnist").get(2);
    assertThat(v3.getMetrics()).containsEntry("accuracy", 0.95);
    assertThat(v3.getProperties())
        .containsEntry("architecture", "mlp")
        .containsEntry("width", "784");
    assertThat(v3.getSourceRunId()).isEqualTo(better.runId());
    assertThat(v3.getSourceTaskId()).isEqualTo("register");
    assertThat(client.production("mnist")).contains(v3);
  }

  @Test
  void shouldFailWithoutRetryWhenPromotingAnUnknownVersion(WeftStack stack) {
    // given: a model with one version, and a workflow promoting version 99 with retries allowed
    WeftClient client = start(stack, "modelfails");
    client.registerModel("mnist", artifact(), Map.of(), Map.of(), null, null);
    client.register(
        WorkflowDefinition.builder("promote-missing", 1)
            .task(
                TaskDefinition.builder("promote", PromoteModel.TYPE)
                    .param("name", "mnist")
                    .param("version", 99)
                    .retry(Retry.attempts(3)))
            .build());

    // when
    RunView run = run(client, "promote-missing", Map.of());

    // then
    TaskView promote = run.tasks().get("promote");
    assertThat(run.status()).isEqualTo(RunView.Status.FAILED);
    assertThat(promote.attempt()).isEqualTo(1);
    assertThat(promote.error()).contains("model 'mnist' has no version 99; versions: 1");
  }

  @Test
  void shouldReturnTheSameVersionWhenAnAttemptIsExecutedAgain(WeftStack stack, @TempDir Path dir) {
    // given: the handler with a registry of its own, and one request
    kit = WeftInstallation.forTests(stack, "modelagain").withHandlers(new TestHandlers());
    Map<String, Object> settings = new HashMap<>(kit.workerSettings());
    settings.keySet().removeIf(key -> key.startsWith("worker.") || key.startsWith("consumer."));
    try (ModelRegistry registry = ModelRegistry.create(settings)) {
      RegisterModel handler = new RegisterModel(registry);
      LocalArtifactStore store = new LocalArtifactStore(dir);
      ArtifactRef model =
          store.put(
              "run-1",
              "train",
              1,
              "model.params",
              new ByteArrayInputStream("weights".getBytes(StandardCharsets.UTF_8)),
              "application/x-djl-params");
      Map<String, Object> params =
          Map.of(
              "name",
              "mnist",
              "model",
              Map.of(
                  "uri", model.getUri(),
                  "sha256", model.getSha256(),
                  "size", model.getSize(),
                  "mediaType", model.getMediaType()),
              "metrics",
              Map.of("accuracy", 0.9));

      // when: the same attempt twice, then a retry of it
      TaskOutputs once = handler.execute(context(store, params, 1));
      TaskOutputs twice = handler.execute(context(store, params, 1));
      TaskOutputs retried = handler.execute(context(store, params, 2));

      // then
      assertThat(twice).isEqualTo(once);
      assertThat(retried).isEqualTo(once);
      assertThat(registry.versions("mnist")).hasSize(1);
      assertThat(registry.versions("mnist").get(0).getArtifact()).isEqualTo(model);
    }
  }

  private static TaskContext context(
      LocalArtifactStore store, Map<String, Object> params, int attempt) {
    Map<String, JsonNode> json = new HashMap<>();
    params.forEach((k, v) -> json.put(k, JSON.valueToTree(v)));
    TaskRequest request =
        TaskRequest.newBuilder()
            .setRunId("run-1")
            .setTaskId("register")
            .setAttempt(attempt)
            .setType(RegisterModel.TYPE)
            .setDeadline(Instant.now().plusSeconds(60))
            .setIdempotencyKey("run-1/register/" + attempt)
            .setScheduledAt(Instant.now())
            .build();
    return new TaskContextImpl(request, json, Map.of(), store, "worker-1", progress -> {});
  }

  private static RunView run(WeftClient client, String workflow, Map<String, ?> params) {
    return client.awaitCompletion(client.startRun(workflow, params), Duration.ofSeconds(60));
  }

  private static Map<String, JsonNode> outputs(RunView run, String task) {
    return run.tasks().get(task).outputs();
  }

  private static ArtifactRef artifact() {
    return new ArtifactRef("file:///tmp/m.params", "00", 1L, "application/x-djl-params");
  }

  /** Stands in for training: stores a small file as the model, with metrics and properties. */
  private static final class FakeTrain implements TaskHandler {

    static final String TYPE = "fake-train";

    @Override
    public String taskType() {
      return TYPE;
    }

    @Override
    public TaskOutputs execute(TaskContext context) {
      double accuracy = context.param("accuracy").asDouble();
      ArtifactRef model =
          context.putArtifact(
              "model.params",
              new ByteArrayInputStream(
                  ("weights of " + context.runId()).getBytes(StandardCharsets.UTF_8)),
              "application/x-djl-params");
      return TaskOutputs.empty()
          .withArtifact("model", model)
          .with("metrics", Map.of("accuracy", accuracy))
          .with(
              "properties",
              Map.of("architecture", "mlp", "hidden", "128", "width", "784", "classes", "10"));
    }
  }
}

package io.weft.ml.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.internals.TaskContextImpl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model task types' params, checked before the registry is reached. */
class ModelTaskParamsTest {

  static {
    GeneratedClasses.trust();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Object> MODEL =
      Map.of("uri", "file:///m.params", "sha256", "ab", "size", 3, "mediaType", "x/y");

  @TempDir Path dir;

  @Test
  void shouldRequireTheModelName() {
    assertFailsWithoutRetry(new RegisterModel(), Map.of("model", MODEL), "param name is required");
  }

  @Test
  void shouldRejectAModelThatIsNotAnArtifact() {
    assertFailsWithoutRetry(
        new RegisterModel(),
        Map.of("name", "mnist", "model", "model.params"),
        "param model: expected an artifact");
  }

  @Test
  void shouldNameAMetricThatIsNotANumber() {
    assertFailsWithoutRetry(
        new RegisterModel(),
        Map.of("name", "mnist", "model", MODEL, "metrics", Map.of("accuracy", "high")),
        "param metrics: 'accuracy' is \"high\", not a finite number");
  }

  @Test
  void shouldRejectPropertiesThatAreNotAnObject() {
    assertFailsWithoutRetry(
        new RegisterModel(),
        Map.of("name", "mnist", "model", MODEL, "properties", "mlp"),
        "param properties: expected a JSON object");
  }

  @Test
  void shouldRequireTheVersionToPromote() {
    assertFailsWithoutRetry(
        new PromoteModel(), Map.of("name", "mnist"), "param version is required");
  }

  @Test
  void shouldRejectAHigherIsBetterThatIsNotABoolean() {
    assertFailsWithoutRetry(
        new PromoteModel(),
        Map.of("name", "mnist", "version", 2, "higherIsBetter", "yes"),
        "param higherIsBetter: \"yes\" is not true or false");
  }

  @Test
  void shouldExplainThatAHandlerOutsideAWorkerHasNoRegistry() {
    assertFailsWithoutRetry(
        new PromoteModel(),
        Map.of("name", "mnist", "version", 2),
        "task type promote-model needs the model registry's connection settings");
  }

  private void assertFailsWithoutRetry(
      TaskHandler handler, Map<String, Object> params, String message) {
    // given
    Map<String, JsonNode> json = new HashMap<>();
    params.forEach((k, v) -> json.put(k, JSON.valueToTree(v)));
    TaskRequest request =
        TaskRequest.newBuilder()
            .setRunId("run-1")
            .setTaskId("t")
            .setAttempt(1)
            .setType(handler.taskType())
            .setDeadline(Instant.now().plusSeconds(60))
            .setIdempotencyKey("run-1/t/1")
            .setScheduledAt(Instant.now())
            .build();
    TaskContextImpl context =
        new TaskContextImpl(
            request, json, Map.of(), new LocalArtifactStore(dir), "worker-1", progress -> {});

    // when / then
    assertThatThrownBy(() -> handler.execute(context))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }
}

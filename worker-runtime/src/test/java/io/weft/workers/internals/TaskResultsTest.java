package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.OutputValue;
import io.weft.workers.api.TaskOutputs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskResultsTest {

  private static final Instant STARTED = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant ENDED = Instant.parse("2025-01-01T00:01:00Z");
  private static final ArtifactRef MODEL =
      new ArtifactRef("file:///a/run-1/train/1/model.bin", "ab12", 42L, "application/x-djl");

  @BeforeAll
  static void trust() {
    GeneratedClasses.trust();
  }

  static TaskRequest request() {
    return TaskRequest.newBuilder()
        .setRunId("run-1")
        .setTaskId("train")
        .setAttempt(2)
        .setType("train")
        .setDeadline(ENDED)
        .setIdempotencyKey("run-1/train/2")
        .setScheduledAt(STARTED)
        .build();
  }

  record Point(int x, String label) {}

  @Test
  void shouldMapOutputsAndMetricsOntoASucceededResult() {
    // given
    TaskOutputs outputs =
        TaskOutputs.empty()
            .with("accuracy", 0.93)
            .with("classes", List.of("cat", "dog"))
            .with("best", new Point(3, "p"))
            .with("none", null)
            .withArtifact("model", MODEL)
            .withMetric("loss", 0.21)
            .withMetrics(Map.of("epochs", 5));

    // when
    TaskResult result = TaskResults.succeeded(request(), outputs, "w-1", STARTED, ENDED);

    // then
    assertThat(result.getStatus()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(result.getRunId()).isEqualTo("run-1");
    assertThat(result.getTaskId()).isEqualTo("train");
    assertThat(result.getAttempt()).isEqualTo(2);
    assertThat(result.getWorkerId()).isEqualTo("w-1");
    assertThat(result.getStartedAt()).isEqualTo(STARTED);
    assertThat(result.getFinishedAt()).isEqualTo(ENDED);
    assertThat(result.getError()).isNull();
    assertThat(result.getOutputs())
        .containsEntry("accuracy", new TaskOutput("0.93", null))
        .containsEntry("classes", new TaskOutput("[\"cat\",\"dog\"]", null))
        .containsEntry("best", new TaskOutput("{\"x\":3,\"label\":\"p\"}", null))
        .containsEntry("none", new TaskOutput("null", null))
        .containsEntry("model", new TaskOutput(null, MODEL));
    assertThat(result.getMetrics()).containsEntry("loss", 0.21).containsEntry("epochs", 5.0);
  }

  @Test
  void shouldMapAnErrorOntoAFailedResultWithoutOutputs() {
    // given
    TaskError error = new TaskError("java.io.IOException", "disk full", true);

    // when
    TaskResult result = TaskResults.failed(request(), error, "w-1", STARTED, ENDED);

    // then
    assertThat(result.getStatus()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.getError()).isEqualTo(error);
    assertThat(result.getOutputs()).isEmpty();
    assertThat(result.getMetrics()).isEmpty();
    assertThat(result.getAttempt()).isEqualTo(2);
  }

  @Test
  void shouldReadUpstreamOutputsBackAsJsonOrArtifacts() {
    // given
    Map<String, TaskOutput> avro =
        TaskResults.toAvro(TaskOutputs.empty().with("n", 7).withArtifact("model", MODEL).outputs());

    // when
    Map<String, OutputValue> values = TaskResults.fromAvro("train", avro);

    // then
    JsonNode n = values.get("n").json();
    assertThat(n.intValue()).isEqualTo(7);
    assertThat(values.get("model").isArtifact()).isTrue();
    assertThat(values.get("model").artifact()).isEqualTo(MODEL);
  }

  @Test
  void shouldRefuseAnUpstreamOutputThatIsNeitherOrBothOrNotJson() {
    // given
    Map<String, TaskOutput> neither = Map.of("x", new TaskOutput(null, null));
    Map<String, TaskOutput> both = Map.of("x", new TaskOutput("1", MODEL));
    Map<String, TaskOutput> notJson = Map.of("x", new TaskOutput("{oops", null));

    // when / then
    assertThatThrownBy(() -> TaskResults.fromAvro("prep", neither))
        .hasMessageContaining("output 'x' of upstream task 'prep'");
    assertThatThrownBy(() -> TaskResults.fromAvro("prep", both))
        .hasMessageContaining("either json or an artifact");
    assertThatThrownBy(() -> TaskResults.fromAvro("prep", notJson))
        .hasMessageContaining("not valid JSON");
  }
}

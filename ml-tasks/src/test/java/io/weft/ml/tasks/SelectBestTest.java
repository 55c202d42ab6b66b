package io.weft.ml.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.OutputValue;
import io.weft.workers.api.TaskOutputs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectBestTest {

  @TempDir Path dir;

  private static Map<String, OutputValue> child(double accuracy, String model) {
    return Map.of(
        "validationAccuracy",
        OutputValue.ofJson(Contexts.JSON.valueToTree(accuracy)),
        "metrics",
        OutputValue.ofJson(Contexts.JSON.valueToTree(Map.of("loss", 1 - accuracy))),
        "model",
        OutputValue.ofArtifact(new ArtifactRef("file:///" + model, "00", 1L, "app/x")));
  }

  private TaskOutputs select(Map<String, ?> params) {
    Map<String, Map<String, OutputValue>> upstream = new LinkedHashMap<>();
    upstream.put("prepare", Map.of());
    upstream.put("train[0]", child(0.91, "a"));
    upstream.put("train[1]", child(0.95, "b"));
    upstream.put("train[2]", child(0.93, "c"));
    upstream.put("train", Map.of());
    return new SelectBest()
        .execute(
            new Contexts(new LocalArtifactStore(dir))
                .context("best", 1, SelectBest.TYPE, params, upstream));
  }

  @Test
  void shouldPickTheChildWithTheHighestMetricAndPassOnItsOutputs() {
    TaskOutputs outputs = select(Map.of("from", "train", "metric", "validationAccuracy"));

    assertThat(outputs.outputs().get("best").json().asText()).isEqualTo("train[1]");
    assertThat(outputs.outputs().get("index").json().asInt()).isEqualTo(1);
    assertThat(outputs.outputs().get("value").json().asDouble()).isEqualTo(0.95);
    assertThat(outputs.outputs().get("model").artifact().getUri()).isEqualTo("file:///b");
  }

  @Test
  void shouldPickTheLowestWithModeMinAndAPathIntoAnOutput() {
    TaskOutputs outputs = select(Map.of("from", "train", "metric", "metrics.loss", "mode", "min"));

    assertThat(outputs.outputs().get("best").json().asText()).isEqualTo("train[1]");
  }

  @Test
  void shouldNameTheChildWithoutTheMetricAndTheTaskWithoutChildren() {
    assertThatThrownBy(() -> select(Map.of("from", "train", "metric", "accuracy")))
        .hasMessageContaining("task train[0] has no number output 'accuracy'");
    assertThatThrownBy(() -> select(Map.of("from", "tune", "metric", "accuracy")))
        .hasMessageContaining("no children of 'tune' among the upstream tasks");
  }
}

package io.weft.ml.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.data.Splits;
import io.weft.schemas.results.TaskProgress;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train and evaluate task types called directly, training for real on DJL PyTorch. */
class TrainAndEvaluateTest {

  @TempDir Path dir;
  private Contexts contexts;
  private Map<String, Object> train;
  private Map<String, Object> validation;

  @BeforeEach
  void storeData() {
    contexts = new Contexts(new LocalArtifactStore(dir));
    Splits.Split split = Splits.shuffleAndSplit(separable(1500, 3), 3, 0.2, 0);
    train = contexts.dataset("train", split.train());
    validation = contexts.dataset("validation", split.validation());
  }

  /** Two classes told apart by the sign of the sum of 8 features. */
  private static LabeledData separable(int n, long seed) {
    Random random = new Random(seed);
    float[] features = new float[n * 8];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      float sum = 0;
      for (int f = 0; f < 8; f++) {
        float v = (float) random.nextGaussian();
        features[i * 8 + f] = v;
        sum += v;
      }
      labels[i] = sum > 0 ? 1 : 0;
    }
    return new LabeledData(features, labels, 8, 2);
  }

  private Map<String, Object> params(int epochs) {
    Map<String, Object> params = new HashMap<>();
    params.put("train", train);
    params.put("validation", validation);
    params.put("classes", 2);
    params.put("hidden", List.of(16));
    params.put("epochs", epochs);
    params.put("batchSize", 32);
    params.put("learningRate", 0.01);
    return params;
  }

  @Test
  void shouldTrainReportingEachEpochAndOutputTheModelAndMetrics() throws Exception {
    // when
    TaskOutputs outputs = new Train().execute(contexts.context("train", 1, "train", params(3)));

    // then
    assertThat(contexts.progress).extracting(TaskProgress::getStep).containsExactly(1L, 2L, 3L);
    assertThat(contexts.progress.get(2).getTotalSteps()).isEqualTo(3L);
    assertThat(contexts.progress.get(2).getMetrics())
        .containsKeys("loss", "trainAccuracy", "validationAccuracy", "samplesPerSecond");
    assertThat(outputs.outputs().get("model").isArtifact()).isTrue();
    assertThat(outputs.outputs().get("validationAccuracy").json().asDouble()).isGreaterThan(0.9);
    assertThat(outputs.outputs().get("properties").json().get("architecture").asText())
        .isEqualTo("mlp");
    assertThat(outputs.outputs().get("resumedAfterEpoch").json().asInt()).isZero();
  }

  @Test
  void shouldResumeALaterAttemptAfterTheLastCheckpointedEpoch() throws Exception {
    // given attempt 1 stopped for good after epoch 2 (its checkpoint stays)
    Map<String, Object> stopsEarly = params(2);
    new Train().execute(contexts.context("train", 1, "train", stopsEarly));
    contexts.progress.clear();

    // when attempt 2 of the same task trains 4 epochs
    TaskOutputs outputs = new Train().execute(contexts.context("train", 2, "train", params(4)));

    // then it starts at epoch 3
    assertThat(outputs.outputs().get("resumedAfterEpoch").json().asInt()).isEqualTo(2);
    assertThat(contexts.progress).extracting(TaskProgress::getStep).containsExactly(2L, 3L, 4L);
    assertThat(contexts.progress.get(0).getMessage()).isEqualTo("resuming after epoch 2");
  }

  @Test
  void shouldStartOverWhenTheCheckpointIsOfAnotherArchitecture() throws Exception {
    new Train().execute(contexts.context("train", 1, "train", params(2)));
    Map<String, Object> wider = params(3);
    wider.put("hidden", List.of(32));

    TaskOutputs outputs = new Train().execute(contexts.context("train", 2, "train", wider));

    assertThat(outputs.outputs().get("resumedAfterEpoch").json().asInt()).isZero();
  }

  @Test
  void shouldEvaluateWithConfusionMatrixAndPerClassPrecisionAndRecall() throws Exception {
    // given
    TaskOutputs trained = new Train().execute(contexts.context("train", 1, "train", params(3)));
    Map<String, Object> params =
        Map.of(
            "model", Contexts.asParam(trained.outputs().get("model").artifact()),
            "properties",
                Contexts.JSON.treeToValue(trained.outputs().get("properties").json(), Map.class),
            "test", validation);

    // when
    TaskOutputs outputs =
        new Evaluate().execute(contexts.context("evaluate", 1, "evaluate", params));

    // then
    double accuracy = outputs.outputs().get("accuracy").json().asDouble();
    assertThat(accuracy).isGreaterThan(0.9);
    JsonNode confusion = outputs.outputs().get("confusion").json();
    long total = 0;
    long diagonal = 0;
    for (int actual = 0; actual < 2; actual++) {
      for (int predicted = 0; predicted < 2; predicted++) {
        total += confusion.get(actual).get(predicted).asLong();
      }
      diagonal += confusion.get(actual).get(actual).asLong();
    }
    assertThat(total).isEqualTo(outputs.outputs().get("count").json().asLong()).isEqualTo(300);
    assertThat((double) diagonal / total).isEqualTo(accuracy);
    assertThat(outputs.outputs().get("precision").json()).hasSize(2);
    assertThat(outputs.outputs().get("recall").json()).hasSize(2);
    assertThat(outputs.outputs().get("metrics").json().get("accuracy").asDouble())
        .isEqualTo(accuracy);
  }

  @Test
  void shouldFailWithoutRetryNamingABadParam() {
    Map<String, Object> params = params(1);
    params.put("architecture", "transformer");

    assertThatThrownBy(() -> new Train().execute(contexts.context("train", 1, "train", params)))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("architecture 'transformer' is not one of mlp, cnn");
    params.put("architecture", "mlp");
    params.put("train", Map.of("uri", "file:///nowhere"));
    assertThatThrownBy(() -> new Train().execute(contexts.context("train", 1, "train", params)))
        .hasMessageContaining("param train: expected an artifact {uri, sha256, size, mediaType}");
  }
}

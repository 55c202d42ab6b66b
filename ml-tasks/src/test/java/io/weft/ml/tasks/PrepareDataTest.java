package io.weft.ml.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.LocalArtifactStore;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.internals.TaskContextImpl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareDataTest {

  static {
    GeneratedClasses.trust();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private TaskContextImpl context(LocalArtifactStore store, Map<String, Object> params) {
    Map<String, JsonNode> json = new HashMap<>();
    params.forEach((k, v) -> json.put(k, JSON.valueToTree(v)));
    TaskRequest request =
        TaskRequest.newBuilder()
            .setRunId("run-1")
            .setTaskId("prepare")
            .setAttempt(1)
            .setType(PrepareData.TYPE)
            .setDeadline(Instant.now().plusSeconds(60))
            .setIdempotencyKey("run-1/prepare/1")
            .setScheduledAt(Instant.now())
            .build();
    return new TaskContextImpl(request, json, Map.of(), store, "worker-1", progress -> {});
  }

  @Test
  void shouldSplitTheNpmDigitsIntoStoredSetsWithCountsAndHistogram() throws IOException {
    // given: 10 images of each digit, in the npm package's layout
    Path digits = Files.createDirectories(dir.resolve("digits"));
    for (int d = 0; d < 10; d++) {
      float[] values = new float[10 * 784];
      Arrays.fill(values, d / 10f);
      Files.writeString(digits.resolve(d + ".json"), "{\"data\": " + Arrays.toString(values) + "}");
    }
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));

    // when
    TaskOutputs outputs =
        new PrepareData().execute(context(store, Map.of("source", digits.toString(), "seed", 3)));

    // then
    assertThat(outputs.outputs().get("trainCount").json().asInt()).isEqualTo(70);
    assertThat(outputs.outputs().get("validationCount").json().asInt()).isEqualTo(10);
    assertThat(outputs.outputs().get("testCount").json().asInt()).isEqualTo(20);
    assertThat(outputs.outputs().get("histogram").json().toString())
        .isEqualTo("[10,10,10,10,10,10,10,10,10,10]");
    var ref = outputs.outputs().get("test").artifact();
    assertThat(ref.getMediaType()).isEqualTo(DatasetCodec.MEDIA_TYPE);
    try (InputStream in = store.open(ref)) {
      LabeledData test = DatasetCodec.decode(in.readAllBytes(), 10);
      assertThat(test.size()).isEqualTo(20);
      assertThat(test.width()).isEqualTo(784);
    }
  }

  @Test
  void shouldFailWithoutRetryNamingTheFileOfBadData() throws IOException {
    // given: an IDX file with a corrupt header
    Path images = dir.resolve("train-images-idx3-ubyte");
    Files.write(images, new byte[] {1, 2, 3, 4, 0, 0, 0, 1});
    Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 5});
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));

    // when / then
    assertThatThrownBy(
            () ->
                new PrepareData()
                    .execute(context(store, Map.of("source", images.toString(), "format", "idx"))))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("train-images-idx3-ubyte")
        .hasMessageContaining("magic number 0x01020304")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }
}

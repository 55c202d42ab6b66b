package io.weft.ml.internals.dl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.weft.ml.api.Classifier;
import io.weft.ml.api.ModelSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DjlClassifierTest {

  private static final ModelSpec SPEC = new ModelSpec("mlp", new int[] {16}, 784, 10);

  @Test
  void shouldAnswerConcurrentRequestsAsItAnswersThemOneByOne() throws Exception {
    // given: a loaded model and four different batches with their answers one at a time
    try (DjlClassifier classifier = new DjlClassifier(load(), SPEC)) {
      Random random = new Random(3);
      List<float[]> batches = new ArrayList<>();
      List<Classifier.Prediction> alone = new ArrayList<>();
      for (int b = 0; b < 4; b++) {
        float[] batch = new float[(b + 1) * 784];
        for (int i = 0; i < batch.length; i++) {
          batch[i] = random.nextFloat();
        }
        batches.add(batch);
        alone.add(classifier.predict(batch, b + 1));
      }

      // when: eight threads predict them 50 times each, all at once
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int b = t % 4;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    Classifier.Prediction p = classifier.predict(batches.get(b), b + 1);
                    if (!Arrays.equals(p.logits(), alone.get(b).logits())
                        || !Arrays.equals(p.labels(), alone.get(b).labels())) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      pool.shutdown();

      // then
      for (Future<Boolean> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(alone.get(3).logits()).hasSize(40);
      assertThat(alone.get(3).labels()).hasSize(4);
      assertThat(LongStream.of(alone.get(3).labels()).allMatch(l -> l >= 0 && l < 10)).isTrue();
    }
  }

  private static Model load() {
    ByteArrayOutputStream saved = new ByteArrayOutputStream();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = SPEC.block();
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
      ModelCodec.save(block, saved);
    }
    return ModelCodec.load("m", SPEC, new ByteArrayInputStream(saved.toByteArray()));
  }
}

package io.weft.benchmarks;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.dl.ModelCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.LocalArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The baseline of the inference comparison: the model loaded straight from its artifact with {@link
 * ModelCodec#load} and called through a DJL {@code Predictor<NDList, NDList>} ({@link
 * NoopTranslator}), one per client thread, answering the same as the service: logits and the
 * arg-max label per row.
 */
final class DirectPredictor implements AutoCloseable {

  private final Model model;

  /** A predictor per client thread: a DJL Predictor is not safe to share. */
  private final ThreadLocal<Predictor<NDList, NDList>> predictor;

  private final List<Predictor<NDList, NDList>> predictors = new CopyOnWriteArrayList<>();
  private final int width;

  DirectPredictor(LocalArtifactStore store, ArtifactRef params, Map<String, String> properties)
      throws IOException {
    ModelSpec spec = ModelSpec.fromProperties(properties);
    try (InputStream in = store.open(params)) {
      this.model = ModelCodec.load("bench-direct", spec, in);
    }
    this.predictor =
        ThreadLocal.withInitial(
            () -> {
              Predictor<NDList, NDList> made = model.newPredictor(new NoopTranslator());
              predictors.add(made);
              return made;
            });
    this.width = spec.width();
  }

  /** The labels of {@code rows} rows of {@code features}; the logits are copied out too. */
  long[] predict(float[] features, int rows) throws TranslateException {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray input = manager.create(features, new Shape(rows, width));
      NDList output = predictor.get().predict(new NDList(input));
      output.attach(manager);
      NDArray logits = output.singletonOrThrow();
      logits.toFloatArray();
      return logits.argMax(1).toLongArray();
    }
  }

  @Override
  public void close() {
    predictors.forEach(Predictor::close);
    model.close();
  }
}

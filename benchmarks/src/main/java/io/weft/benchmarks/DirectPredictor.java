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
import java.util.Map;

/**
 * The baseline of the inference comparison: the model loaded straight from its artifact with {@link
 * ModelCodec#load} and called through a DJL {@code Predictor<NDList, NDList>} ({@link
 * NoopTranslator}), answering the same as the service: logits and the arg-max label per row.
 */
final class DirectPredictor implements AutoCloseable {

  private final Model model;
  private final Predictor<NDList, NDList> predictor;
  private final int width;

  DirectPredictor(LocalArtifactStore store, ArtifactRef params, Map<String, String> properties)
      throws IOException {
    ModelSpec spec = ModelSpec.fromProperties(properties);
    try (InputStream in = store.open(params)) {
      this.model = ModelCodec.load("bench-direct", spec, in);
    }
    this.predictor = model.newPredictor(new NoopTranslator());
    this.width = spec.width();
  }

  /** The labels of {@code rows} rows of {@code features}; the logits are copied out too. */
  long[] predict(float[] features, int rows) throws TranslateException {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray input = manager.create(features, new Shape(rows, width));
      NDList output = predictor.predict(new NDList(input));
      output.attach(manager);
      NDArray logits = output.singletonOrThrow();
      logits.toFloatArray();
      return logits.argMax(1).toLongArray();
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}

package io.weft.ml.internals.dl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.weft.ml.api.Classifier;
import io.weft.ml.api.ModelSpec;

/**
 * A classifier on a DJL PyTorch {@link Model}. Each call runs the block's forward pass under its
 * own sub-manager of the model's manager, so concurrent calls share only the read-only parameters
 * and every intermediate array is freed when the call returns.
 */
public final class DjlClassifier implements Classifier {

  private final Model model;
  private final ModelSpec spec;

  public DjlClassifier(Model model, ModelSpec spec) {
    this.model = model;
    this.spec = spec;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public Prediction predict(float[] features, int rows) {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray input = manager.create(features, new Shape(rows, spec.width()));
      NDArray logits =
          model
              .getBlock()
              .forward(new ParameterStore(manager, false), new NDList(input), false)
              .singletonOrThrow();
      return new Prediction(logits.toFloatArray(), logits.argMax(1).toLongArray());
    }
  }

  @Override
  public void close() {
    model.close();
  }
}

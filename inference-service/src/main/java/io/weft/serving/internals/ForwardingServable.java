package io.weft.serving.internals;

import io.weft.ml.api.Servable;
import io.weft.ml.api.TensorSpec;
import java.util.List;

/** A servable in front of another: its signature and what is known of its rows are the model's. */
abstract class ForwardingServable implements Servable {

  protected final Servable model;

  ForwardingServable(Servable model) {
    this.model = model;
  }

  @Override
  public String platform() {
    return model.platform();
  }

  @Override
  public List<TensorSpec> inputs() {
    return model.inputs();
  }

  @Override
  public List<TensorSpec> outputs() {
    return model.outputs();
  }

  @Override
  public boolean isBatchable() {
    return model.isBatchable();
  }

  @Override
  public boolean rowsAreIndependent() {
    return model.rowsAreIndependent();
  }
}

package io.weft.ml.api;

import java.util.List;

/**
 * A loaded model that answers named tensors with named tensors, as the inference service serves it:
 * Weft's own classifiers ({@link ClassifierServable}) and models trained elsewhere (TorchScript,
 * ONNX). Closing it frees its native memory.
 */
public interface Servable extends AutoCloseable {

  /** The runtime that answers, as the v2 protocol's model metadata names it. */
  String platform();

  /** The inputs, in the order {@link #infer} takes them. */
  List<TensorSpec> inputs();

  /** The outputs, in the order {@link #infer} answers them. */
  List<TensorSpec> outputs();

  /**
   * Runs the model once. Safe to call from several threads at once.
   *
   * @param inputs one tensor per {@link #inputs()} entry, in that order, each of its type and of a
   *     shape it accepts (the caller checks)
   * @return one tensor per {@link #outputs()} entry, in that order
   */
  List<Tensor> infer(List<Tensor> inputs);

  /**
   * Whether requests can be stacked into one forward pass: every input and output has a first
   * dimension of any size, and row {@code i} of each output depends only on row {@code i} of the
   * inputs.
   */
  default boolean isBatchable() {
    return inputs().stream().allMatch(TensorSpec::isBatched)
        && outputs().stream().allMatch(TensorSpec::isBatched);
  }

  /**
   * Whether it is known that row {@code i} of every output depends only on row {@code i} of the
   * inputs, so that dynamic batching may merge requests without being asked for this model by name:
   * true of Weft's own classifiers. A model from elsewhere declares only its shapes, and a first
   * dimension of any size may be a sequence rather than a batch.
   */
  default boolean rowsAreIndependent() {
    return false;
  }

  @Override
  void close();
}

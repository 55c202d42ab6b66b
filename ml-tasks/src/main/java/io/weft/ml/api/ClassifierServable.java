package io.weft.ml.api;

import java.util.List;

/**
 * A Weft classifier as a {@link Servable}: one input {@value #INPUT}, FP32 {@code [n, width]}; two
 * outputs, {@value #LOGITS} FP32 {@code [n, classes]} and {@value #LABEL} INT64 {@code [n]}, the
 * most likely class of each row.
 */
public final class ClassifierServable implements Servable {

  public static final String PLATFORM = "pytorch_djl";
  public static final String INPUT = "input-0";
  public static final String LOGITS = "output-0";
  public static final String LABEL = "label";

  private final Classifier classifier;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;

  public ClassifierServable(Classifier classifier) {
    this.classifier = classifier;
    ModelSpec spec = classifier.spec();
    this.inputs = List.of(new TensorSpec(INPUT, TensorType.FP32, new long[] {-1, spec.width()}));
    this.outputs =
        List.of(
            new TensorSpec(LOGITS, TensorType.FP32, new long[] {-1, spec.classes()}),
            new TensorSpec(LABEL, TensorType.INT64, new long[] {-1}));
  }

  /** The classifier answering. */
  public Classifier classifier() {
    return classifier;
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public List<Tensor> infer(List<Tensor> in) {
    Tensor features = in.get(0);
    int rows = (int) features.rows();
    Classifier.Prediction prediction = classifier.predict(features.toFloats(), rows);
    int classes = prediction.logits().length / Math.max(1, rows);
    return List.of(
        Tensor.ofFloats(LOGITS, prediction.logits(), rows, classes),
        Tensor.ofLongs(LABEL, prediction.labels(), rows));
  }

  /** A classifier's rows are independent: each is classified on its own. */
  @Override
  public boolean rowsAreIndependent() {
    return true;
  }

  @Override
  public void close() {
    classifier.close();
  }
}

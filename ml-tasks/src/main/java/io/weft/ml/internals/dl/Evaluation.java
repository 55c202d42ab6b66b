package io.weft.ml.internals.dl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import java.util.ArrayList;
import java.util.List;

/**
 * A classifier measured on labelled examples: accuracy, mean softmax cross-entropy loss, and the
 * confusion matrix ({@code confusion[actual][predicted]}) with per-class precision and recall.
 */
public record Evaluation(double accuracy, double loss, long[][] confusion) {

  /**
   * Runs {@code model} over {@code data} in batches of {@code batchSize}.
   *
   * @throws IllegalArgumentException if the data is empty or of another width than the model's
   */
  public static Evaluation of(Model model, ModelSpec spec, LabeledData data, int batchSize) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("no examples to evaluate");
    }
    if (data.width() != spec.width()) {
      throw new IllegalArgumentException(
          "examples have " + data.width() + " features; the model expects " + spec.width());
    }
    int classes = spec.classes();
    long[][] confusion = new long[classes][classes];
    double lossSum = 0;
    Loss loss = Loss.softmaxCrossEntropyLoss();
    try (NDManager manager = model.getNDManager().newSubManager()) {
      ParameterStore parameters = new ParameterStore(manager, false);
      for (int from = 0; from < data.size(); from += batchSize) {
        int n = Math.min(batchSize, data.size() - from);
        try (NDManager batch = manager.newSubManager()) {
          float[] rows = new float[n * data.width()];
          System.arraycopy(data.features(), from * data.width(), rows, 0, rows.length);
          int[] labels = new int[n];
          System.arraycopy(data.labels(), from, labels, 0, n);
          NDArray input = batch.create(rows, new Shape(n, data.width()));
          NDArray logits =
              model.getBlock().forward(parameters, new NDList(input), false).singletonOrThrow();
          NDArray truth = batch.create(labels, new Shape(n));
          lossSum += loss.evaluate(new NDList(truth), new NDList(logits)).getFloat() * n;
          long[] predicted = logits.argMax(1).toLongArray();
          for (int i = 0; i < n; i++) {
            confusion[labels[i]][(int) predicted[i]]++;
          }
        }
      }
    }
    long correct = 0;
    for (int c = 0; c < classes; c++) {
      correct += confusion[c][c];
    }
    return new Evaluation((double) correct / data.size(), lossSum / data.size(), confusion);
  }

  /** Per class: correct predictions of it ÷ all predictions of it (0 when never predicted). */
  public List<Double> precision() {
    List<Double> precision = new ArrayList<>();
    for (int c = 0; c < confusion.length; c++) {
      long predicted = 0;
      for (long[] row : confusion) {
        predicted += row[c];
      }
      precision.add(predicted == 0 ? 0.0 : (double) confusion[c][c] / predicted);
    }
    return precision;
  }

  /** Per class: correct predictions of it ÷ its examples (0 when it has none). */
  public List<Double> recall() {
    List<Double> recall = new ArrayList<>();
    for (long[] row : confusion) {
      long actual = 0;
      for (long count : row) {
        actual += count;
      }
      int c = recall.size();
      recall.add(actual == 0 ? 0.0 : (double) row[c] / actual);
    }
    return recall;
  }

  /** The confusion matrix as nested lists, rows = actual class. */
  public List<List<Long>> confusionRows() {
    List<List<Long>> rows = new ArrayList<>();
    for (long[] row : confusion) {
      List<Long> list = new ArrayList<>();
      for (long count : row) {
        list.add(count);
      }
      rows.add(list);
    }
    return rows;
  }

  static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  public double macroPrecision() {
    return mean(precision());
  }

  public double macroRecall() {
    return mean(recall());
  }
}

package io.weft.ml.api;

/** A loaded classifier that answers batches of rows; closing it frees its native memory. */
public interface Classifier extends AutoCloseable {

  /** The architecture, which fixes the input width and the number of classes. */
  ModelSpec spec();

  /**
   * Logits and the most likely class of each of the {@code rows} rows in {@code features} (row
   * after row, {@code spec().width()} values each). Safe to call from several threads at once.
   */
  Prediction predict(float[] features, int rows);

  @Override
  void close();

  /**
   * What a classifier answers for a batch.
   *
   * @param logits {@code rows x classes} values, row after row
   * @param labels the index of the largest logit of each row
   */
  record Prediction(float[] logits, long[] labels) {}
}

package io.weft.ml.api;

import io.weft.ml.internals.data.DatasetException;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.ArtifactException;
import io.weft.workers.api.ArtifactStore;

/** Reads the labelled datasets that the {@code prepare-data} task type stores. */
public final class Datasets {

  /**
   * Labelled examples: row {@code i} is {@code features[i * width .. (i + 1) * width)}, its label
   * {@code labels[i]}.
   */
  public record Examples(float[] features, int[] labels, int width) {

    /** The number of examples. */
    public int size() {
      return labels.length;
    }
  }

  private Datasets() {}

  /**
   * The dataset {@code ref}, after checking its digest.
   *
   * @param classes the number of classes its labels are in
   * @throws ArtifactException if it is missing, corrupt or not a dataset of {@code classes} classes
   * @throws java.io.UncheckedIOException if it cannot be read
   */
  public static Examples read(ArtifactStore store, ArtifactRef ref, int classes) {
    try {
      LabeledData data = DatasetCodec.read(store, ref, classes);
      return new Examples(data.features(), data.labels(), data.width());
    } catch (DatasetException e) {
      throw new ArtifactException(e.getMessage(), e);
    }
  }
}

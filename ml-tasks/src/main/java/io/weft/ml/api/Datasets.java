package io.weft.ml.api;

import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.ArtifactException;
import io.weft.workers.api.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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
   * @throws ArtifactException if it cannot be read or is not a dataset of {@code classes} classes
   */
  public static Examples read(ArtifactStore store, ArtifactRef ref, int classes) {
    byte[] bytes;
    try (InputStream in = store.open(ref)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read dataset " + ref.getUri(), e);
    }
    LabeledData data;
    try {
      data = DatasetCodec.decode(bytes, classes);
    } catch (RuntimeException e) {
      throw new ArtifactException(
          ref.getUri() + " is not a dataset of " + classes + " classes: " + e.getMessage(), e);
    }
    return new Examples(data.features(), data.labels(), data.width());
  }
}

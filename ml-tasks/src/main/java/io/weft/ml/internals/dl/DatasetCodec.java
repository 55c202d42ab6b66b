package io.weft.ml.internals.dl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.weft.ml.internals.data.DatasetException;
import io.weft.ml.internals.data.LabeledData;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Stores a labelled split as a DJL {@link NDList} (features {@code n x width} float32, labels
 * {@code n} int32), the format DJL reads back with {@link NDList#decode}.
 */
public final class DatasetCodec {

  /** Media type of an encoded split. */
  public static final String MEDIA_TYPE = "application/x-djl-ndlist";

  private DatasetCodec() {}

  public static byte[] encode(LabeledData data) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray features = manager.create(data.features(), new Shape(data.size(), data.width()));
      NDArray labels = manager.create(data.labels(), new Shape(data.size()));
      return new NDList(features, labels).encode();
    }
  }

  /**
   * Reads the split stored as artifact {@code ref}, after the store has checked its digest.
   *
   * @throws UncheckedIOException if the artifact cannot be read (which may pass)
   * @throws DatasetException if it is not a split of {@code classes} classes (which will not)
   */
  public static LabeledData read(ArtifactStore store, ArtifactRef ref, int classes) {
    byte[] bytes;
    try (InputStream in = store.open(ref)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ref.getUri() + ": " + e, e);
    }
    try {
      return decode(bytes, classes);
    } catch (RuntimeException e) {
      throw new DatasetException(
          ref.getUri(), "not a dataset of " + classes + " classes: " + e.getMessage(), e);
    }
  }

  /** Reads a split back; {@code classes} is not stored and must be given. */
  public static LabeledData decode(byte[] bytes, int classes) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDList list = NDList.decode(manager, bytes);
      NDArray features = list.get(0);
      return new LabeledData(
          features.toFloatArray(),
          list.get(1).toIntArray(),
          (int) features.getShape().get(1),
          classes);
    }
  }
}

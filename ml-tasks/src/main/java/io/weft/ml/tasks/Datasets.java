package io.weft.ml.tasks;

import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import java.io.IOException;
import java.io.InputStream;

/** Reads the dataset artifacts {@code prepare-data} writes. */
final class Datasets {

  private Datasets() {}

  /**
   * The dataset named by artifact param {@code param}.
   *
   * @throws TaskFailedException (not retryable) if it is not a dataset of {@code classes} classes
   */
  static LabeledData load(TaskContext context, String param, int classes) {
    ArtifactRef ref = Params.artifact(context, param);
    byte[] bytes;
    try (InputStream in = context.artifacts().open(ref)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new TaskFailedException(
          "param " + param + ": cannot read " + ref.getUri() + ": " + e, true);
    }
    try {
      return DatasetCodec.decode(bytes, classes);
    } catch (RuntimeException e) {
      throw new TaskFailedException(
          "param "
              + param
              + ": "
              + ref.getUri()
              + " is not a dataset of "
              + classes
              + " classes: "
              + e.getMessage(),
          false);
    }
  }
}

package io.weft.benchmarks;

import io.weft.ml.internals.data.IdxReader;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.data.Splits;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.LocalArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The MNIST digits shipped under {@code examples/data/mnist}, normalised, shuffled and split as the
 * example's {@code prepare-data} task does (seed 7, 10% validation, 20% test), the train and
 * validation splits stored as dataset artifacts in a worker's artifact store.
 *
 * @param store the artifact store holding them
 * @param train the training split
 * @param validation the validation split
 */
record MnistArtifacts(LocalArtifactStore store, ArtifactRef train, ArtifactRef validation) {

  /** System property naming the directory of the digits; otherwise found above the working dir. */
  static final String DIR_PROPERTY = "bench.mnist.dir";

  static final String IMAGES = "digits-images-idx3-ubyte.gz";
  static final String LABELS = "digits-labels-idx1-ubyte.gz";
  static final int CLASSES = 10;

  /** Reads the digits, splits them and stores the splits in {@code store}. */
  static MnistArtifacts store(LocalArtifactStore store) {
    Path dir = directory();
    LabeledData data =
        IdxReader.read(dir.resolve(IMAGES), dir.resolve(LABELS), CLASSES).normalized();
    Splits.Split split = Splits.shuffleAndSplit(data, 7, 0.1, 0.2);
    return new MnistArtifacts(
        store, put(store, "train", split.train()), put(store, "validation", split.validation()));
  }

  /** Reads and decodes one of the stored splits, as the {@code train} task does. */
  LabeledData read(ArtifactRef ref) {
    try (InputStream in = store.open(ref)) {
      return DatasetCodec.decode(in.readAllBytes(), CLASSES);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read dataset " + ref.getUri(), e);
    }
  }

  /** A stored split as a task param: {@code {uri, sha256, size, mediaType}}. */
  static Map<String, Object> param(ArtifactRef ref) {
    return Map.of(
        "uri", ref.getUri(),
        "sha256", ref.getSha256(),
        "size", ref.getSize(),
        "mediaType", ref.getMediaType());
  }

  private static ArtifactRef put(LocalArtifactStore store, String name, LabeledData split) {
    return store.put(
        "bench-dl",
        "prepare",
        1,
        name + ".ndlist",
        new ByteArrayInputStream(DatasetCodec.encode(split)),
        DatasetCodec.MEDIA_TYPE);
  }

  /** {@value #DIR_PROPERTY}, or the first {@code examples/data/mnist} above the working dir. */
  static Path directory() {
    String configured = System.getProperty(DIR_PROPERTY);
    if (configured != null) {
      Path dir = Path.of(configured);
      if (!Files.isRegularFile(dir.resolve(IMAGES))) {
        throw new IllegalStateException(
            "-D" + DIR_PROPERTY + "=" + configured + " has no " + IMAGES);
      }
      return dir;
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path dir = p.resolve("examples/data/mnist");
      if (Files.isRegularFile(dir.resolve(IMAGES))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "No examples/data/mnist/"
            + IMAGES
            + " above "
            + Path.of("").toAbsolutePath()
            + "; set -D"
            + DIR_PROPERTY);
  }
}

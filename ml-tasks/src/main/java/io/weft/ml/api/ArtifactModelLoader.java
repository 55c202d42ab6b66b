package io.weft.ml.api;

import ai.djl.Model;
import io.weft.common.WeftException;
import io.weft.ml.internals.dl.DjlClassifier;
import io.weft.ml.internals.dl.ModelCodec;
import io.weft.schemas.models.ModelVersion;
import io.weft.workers.api.ArtifactException;
import io.weft.workers.api.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a model version from the artifact store, which checks its sha256: a classifier Weft trained
 * (no {@value ModelSignature#FORMAT} property) as its DJL parameters into a PyTorch model of the
 * architecture its properties describe; a model file registered from elsewhere ({@code format}
 * {@code torchscript} or {@code onnx}) through {@link ModelFiles}, with the signature of its
 * properties. A model file is copied to a local file first, in the loader's directory, and the copy
 * deleted once loaded: both engines read the whole file when they load it.
 */
public final class ArtifactModelLoader implements ModelLoader {

  private static final Logger log = LoggerFactory.getLogger(ArtifactModelLoader.class);

  private final ArtifactStore store;
  private final Path localDir;

  /** A loader copying model files to the temporary directory ({@code java.io.tmpdir}). */
  public ArtifactModelLoader(ArtifactStore store) {
    this(store, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** A loader copying model files to {@code localDir} while it loads them. */
  public ArtifactModelLoader(ArtifactStore store, Path localDir) {
    this.store = store;
    this.localDir = localDir;
  }

  @Override
  public Servable load(ModelVersion version) {
    String format = version.getProperties().get(ModelSignature.FORMAT);
    return format == null
        ? new ClassifierServable(loadClassifier(version))
        : loadFile(version, format);
  }

  private Servable loadFile(ModelVersion version, String formatId) {
    String what = "model '" + version.getName() + "' version " + version.getVersion();
    ModelFormat format;
    ModelSignature signature;
    try {
      format = ModelFormat.parse(formatId);
      signature = ModelSignature.fromProperties(version.getProperties());
    } catch (IllegalArgumentException e) {
      throw new WeftException("Cannot load " + what + ": " + e.getMessage(), e);
    }
    Path copy = null;
    try {
      Files.createDirectories(localDir);
      copy = Files.createTempFile(localDir, "weft-model-", format.extensions().get(0));
      try (InputStream in = store.open(version.getArtifact())) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return ModelFiles.load(copy, format, signature.inputs(), signature.outputs(), what);
    } catch (ArtifactException e) {
      throw new WeftException("Cannot load " + what + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new WeftException(
          "Cannot copy " + what + " from " + version.getArtifact().getUri() + " to " + localDir, e);
    } finally {
      deleteQuietly(copy);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover in the temporary directory, named weft-model-*
      log.warn("Cannot delete the local copy {}: {}", file, e.toString());
    }
  }

  /**
   * Loads {@code version}, a classifier Weft trained, as a classifier; the caller closes it.
   *
   * @throws WeftException naming the model and version if it cannot be loaded
   */
  public Classifier loadClassifier(ModelVersion version) {
    String what = "model '" + version.getName() + "' version " + version.getVersion();
    ModelSpec spec;
    try {
      spec = ModelSpec.fromProperties(version.getProperties());
    } catch (IllegalArgumentException e) {
      throw new WeftException("Cannot load " + what + ": " + e.getMessage(), e);
    }
    try (InputStream params = store.open(version.getArtifact())) {
      Model model = ModelCodec.load(version.getName(), spec, params);
      return new DjlClassifier(model, spec);
    } catch (ArtifactException e) {
      throw new WeftException("Cannot load " + what + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new WeftException(
          "Cannot load " + what + " from " + version.getArtifact().getUri() + ": " + e.getMessage(),
          e);
    }
  }
}

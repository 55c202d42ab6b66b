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

/**
 * Loads a model version's DJL parameters from the artifact store (which checks their sha256) into a
 * PyTorch model of the architecture its properties describe.
 */
public final class ArtifactModelLoader implements ModelLoader {

  private final ArtifactStore store;

  public ArtifactModelLoader(ArtifactStore store) {
    this.store = store;
  }

  @Override
  public Servable load(ModelVersion version) {
    return new ClassifierServable(loadClassifier(version));
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

package io.weft.ml.api;

import io.weft.schemas.models.ModelVersion;

/** Turns a registered model version into a model ready to answer. */
@FunctionalInterface
public interface ModelLoader {

  /**
   * Loads {@code version}; the caller closes the result.
   *
   * @throws RuntimeException naming the model and version if it cannot be loaded (missing or
   *     corrupt artifact, properties that do not describe an architecture, parameters that do not
   *     fit it)
   */
  Servable load(ModelVersion version);
}

package io.weft.core.api;

import io.weft.common.WeftException;

/**
 * A model registry operation that cannot be done as asked, e.g. a rollback with no earlier
 * production version, or a champion/challenger comparison on a metric a version lacks.
 */
public class ModelRegistryException extends WeftException {

  private static final long serialVersionUID = 1L;

  public ModelRegistryException(String message) {
    super(message);
  }

  public ModelRegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}

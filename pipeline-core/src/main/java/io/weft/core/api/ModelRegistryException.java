package io.weft.core.api;

import io.weft.common.WeftException;

/**
 * The model registry refuses an operation because of its state: a rollback with no earlier
 * production version, a champion/challenger comparison on a metric a version lacks, an unknown
 * model or version ({@link ModelNotFoundException}). Asking again without changing the registry
 * gives the same answer. Failures to reach or write the registry are plain {@link WeftException}s.
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

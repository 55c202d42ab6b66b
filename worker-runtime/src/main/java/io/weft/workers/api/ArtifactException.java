package io.weft.workers.api;

import io.weft.common.WeftException;

/** An artifact cannot be stored or read: missing, unreadable, or with an unsupported URI. */
public class ArtifactException extends WeftException {

  private static final long serialVersionUID = 1L;

  public ArtifactException(String message) {
    super(message);
  }

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}

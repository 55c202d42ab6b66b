package io.weft.workers.internals;

import io.weft.common.WeftException;

/** A task record decodes but is not a request this worker may execute; it is dead-lettered. */
public class InvalidTaskRequestException extends WeftException {

  private static final long serialVersionUID = 1L;

  public InvalidTaskRequestException(String message) {
    super(message);
  }
}

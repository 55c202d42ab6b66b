package io.weft.core.internals.coordinator;

import io.weft.common.WeftException;

/** A record that decodes but cannot be acted on, e.g. a command whose key is not its run id. */
public class InvalidInputException extends WeftException {

  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}

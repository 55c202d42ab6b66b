package io.weft.ml.api;

import io.weft.common.WeftException;

/**
 * A model file that cannot be served as declared: it does not load, its signature names a type its
 * engine cannot take or does not match the model's own, or it answers tensors other than those it
 * declares. The message names the file (or model version) and the tensor.
 */
public class ModelFileException extends WeftException {

  private static final long serialVersionUID = 1L;

  public ModelFileException(String message) {
    super(message);
  }

  public ModelFileException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.weft.core.api;

/**
 * The model registry has no such model, or the model no such version; the message names it and what
 * there is, e.g. {@code model 'mnist' has no version 7; versions: 1, 2}.
 */
public class ModelNotFoundException extends ModelRegistryException {

  private static final long serialVersionUID = 1L;

  public ModelNotFoundException(String message) {
    super(message);
  }
}

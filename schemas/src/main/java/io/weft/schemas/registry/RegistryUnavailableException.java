package io.weft.schemas.registry;

/**
 * The registry could not be reached or failed with a server error (5xx). Unlike the other registry
 * errors this is transient: the same request may succeed later.
 */
public class RegistryUnavailableException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, int status, int errorCode, Throwable cause) {
    super(message, status, errorCode, cause);
  }
}

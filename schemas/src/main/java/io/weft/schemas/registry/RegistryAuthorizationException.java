package io.weft.schemas.registry;

/** The registry refused the credentials (HTTP 401 or 403). */
public class RegistryAuthorizationException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public RegistryAuthorizationException(String message, int status, int errorCode) {
    super(message, status, errorCode, null);
  }
}

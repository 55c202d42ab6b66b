package io.weft.schemas.registry;

/** The subject has no such version (error_code 40402). */
public class VersionNotFoundException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public VersionNotFoundException(String message, int status, int errorCode) {
    super(message, status, errorCode, null);
  }
}

package io.weft.schemas.registry;

/** The subject does not exist (error_code 40401). */
public class SubjectNotFoundException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public SubjectNotFoundException(String message, int status, int errorCode) {
    super(message, status, errorCode, null);
  }
}

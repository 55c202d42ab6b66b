package io.weft.schemas.registry;

/** No schema has the requested id, or the subject holds no such schema (error_code 40403). */
public class SchemaNotFoundException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public SchemaNotFoundException(String message, int status, int errorCode) {
    super(message, status, errorCode, null);
  }
}

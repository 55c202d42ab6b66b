package io.weft.schemas.registry;

/** The registry could not parse the schema (error_code 42201). */
public class InvalidSchemaException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public InvalidSchemaException(String message, int status, int errorCode) {
    super(message, status, errorCode, null);
  }
}

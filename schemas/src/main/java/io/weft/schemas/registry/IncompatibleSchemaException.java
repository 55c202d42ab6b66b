package io.weft.schemas.registry;

/**
 * The schema is incompatible with the subject's earlier versions under its compatibility level
 * (HTTP 409).
 */
public class IncompatibleSchemaException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public IncompatibleSchemaException(String message, int status, int errorCode) {
    super(message, status, errorCode, null);
  }
}

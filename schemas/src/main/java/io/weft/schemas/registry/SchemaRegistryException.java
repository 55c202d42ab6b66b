package io.weft.schemas.registry;

import io.weft.common.WeftException;

/**
 * The schema registry refused a request or could not be reached. Carries the HTTP status and the
 * registry's {@code error_code} where it gave one; the message names the request.
 */
public class SchemaRegistryException extends WeftException {

  private static final long serialVersionUID = 1L;

  /** Status when no HTTP answer was received. */
  public static final int NO_STATUS = -1;

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the registry's answer, or {@link #NO_STATUS}. */
  public int status() {
    return status;
  }

  /** The registry's {@code error_code}, e.g. 40401, or the HTTP status when it gave none. */
  public int errorCode() {
    return errorCode;
  }

  /** Builds the exception matching the registry's status and error code. */
  static SchemaRegistryException of(String request, int status, int errorCode, String message) {
    String text =
        request
            + " failed: the schema registry answered "
            + status
            + " (error_code "
            + errorCode
            + "): "
            + message;
    return switch (errorCode) {
      case 40401 -> new SubjectNotFoundException(text, status, errorCode);
      case 40402 -> new VersionNotFoundException(text, status, errorCode);
      case 40403 -> new SchemaNotFoundException(text, status, errorCode);
      case 42201 -> new InvalidSchemaException(text, status, errorCode);
      default -> byStatus(text, status, errorCode);
    };
  }

  private static SchemaRegistryException byStatus(String text, int status, int errorCode) {
    if (status == 409) {
      return new IncompatibleSchemaException(text, status, errorCode);
    }
    if (status == 401 || status == 403) {
      return new RegistryAuthorizationException(text, status, errorCode);
    }
    if (status >= 500) {
      return new RegistryUnavailableException(text, status, errorCode, null);
    }
    return new SchemaRegistryException(text, status, errorCode, null);
  }
}

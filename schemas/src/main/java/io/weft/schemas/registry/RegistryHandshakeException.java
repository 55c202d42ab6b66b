package io.weft.schemas.registry;

/**
 * The TLS handshake with the registry failed: its certificate is not signed by a trusted authority
 * or does not name its host, or it refused this client (no certificate, or one it does not trust).
 * Unlike {@link RegistryUnavailableException} this is not transient: a setting is wrong.
 */
public class RegistryHandshakeException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public RegistryHandshakeException(String message, Throwable cause) {
    super(message, NO_STATUS, NO_STATUS, cause);
  }
}

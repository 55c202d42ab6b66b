package io.weft.embedded;

/** The embedded broker or schema registry could not start or stop. */
public class EmbeddedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EmbeddedException(String message) {
    super(message);
  }

  public EmbeddedException(String message, Throwable cause) {
    super(message, cause);
  }
}

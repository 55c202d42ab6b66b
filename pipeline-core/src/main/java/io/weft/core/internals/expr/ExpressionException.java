package io.weft.core.internals.expr;

import io.weft.common.WeftException;

/**
 * A template or {@code when} expression that cannot be parsed or evaluated. The message names what
 * is wrong and where; {@link #position()} and {@link #source()} give the same information to
 * callers that want to point at the offending text.
 */
public final class ExpressionException extends WeftException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int position;

  /** An error that is not tied to a place in a text, such as resolving a lone reference. */
  public ExpressionException(String message) {
    this(message, null, -1);
  }

  /**
   * @param message what is wrong and where
   * @param source the text being parsed or evaluated, or null
   * @param position the 0-based index in {@code source} of the offending text, or -1
   */
  public ExpressionException(String message, String source, int position) {
    super(message);
    this.source = source;
    this.position = position;
  }

  /** As {@link #ExpressionException(String, String, int)}, with the exception that caused it. */
  public ExpressionException(String message, String source, int position, Throwable cause) {
    super(message, cause);
    this.source = source;
    this.position = position;
  }

  /** The 0-based character index in {@link #source()} of the offending text, or -1. */
  public int position() {
    return position;
  }

  /** The text being parsed or evaluated, or null when there is none. */
  public String source() {
    return source;
  }
}

package io.weft.workers.api;

import io.weft.common.WeftException;

/**
 * Thrown by a {@link TaskHandler} to fail an attempt explicitly, saying whether another attempt may
 * succeed. A non-retryable failure fails the task at once, whatever its retry policy.
 *
 * <p>The reported error class is the exception's class name, so handlers may subclass it to give
 * their failures distinct names.
 */
public class TaskFailedException extends WeftException {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public TaskFailedException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public TaskFailedException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether another attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }
}

package io.weft.workers.internals;

import io.weft.schemas.common.TaskError;
import io.weft.workers.api.TaskFailedException;

/** Maps what a handler threw to the {@link TaskError} of its result. */
public final class TaskErrors {

  /** Longest message kept; results are meant to stay small. */
  static final int MAX_MESSAGE_LENGTH = 4000;

  private static final int MAX_CAUSE_DEPTH = 32;

  private TaskErrors() {}

  /**
   * The error for {@code thrown}: its class name, its message (with its root cause's if that adds
   * something), and retryable unless it is a {@link TaskFailedException} saying otherwise.
   */
  public static TaskError of(Throwable thrown) {
    boolean retryable = !(thrown instanceof TaskFailedException failed) || failed.retryable();
    return new TaskError(thrown.getClass().getName(), message(thrown), retryable);
  }

  static String message(Throwable thrown) {
    String message = thrown.getMessage() == null ? "(no message)" : thrown.getMessage();
    Throwable root = rootCause(thrown);
    if (root != thrown) {
      String rootText = root.getClass().getName() + ": " + root.getMessage();
      if (root.getMessage() == null || !message.contains(root.getMessage())) {
        message = message + " (caused by " + rootText + ")";
      }
    }
    if (message.length() > MAX_MESSAGE_LENGTH) {
      message = message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    }
    return message;
  }

  private static Throwable rootCause(Throwable thrown) {
    Throwable root = thrown;
    for (int depth = 0; depth < MAX_CAUSE_DEPTH; depth++) {
      Throwable cause = root.getCause();
      if (cause == null || cause == root) {
        break;
      }
      root = cause;
    }
    return root;
  }
}

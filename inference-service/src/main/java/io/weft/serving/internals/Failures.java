package io.weft.serving.internals;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What went wrong in a request answered later, on another thread. */
final class Failures {

  private Failures() {}

  /**
   * The failure a future completed with, without the {@link CompletionException} or {@link
   * ExecutionException} around it; a checked exception or an error wrapped in an {@link
   * IllegalStateException}, to be answered as the server's own failure.
   */
  static RuntimeException unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException(cause.toString(), cause);
  }
}

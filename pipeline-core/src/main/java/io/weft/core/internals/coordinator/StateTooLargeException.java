package io.weft.core.internals.coordinator;

/** A run's state would be stored as a record larger than the coordinator's limit. */
final class StateTooLargeException extends RuntimeException {

  private final int size;
  private final int limit;

  StateTooLargeException(int size, int limit) {
    super("its state would be " + size + " bytes, over the limit of " + limit, null, false, false);
    this.size = size;
    this.limit = limit;
  }

  int size() {
    return size;
  }

  int limit() {
    return limit;
  }
}

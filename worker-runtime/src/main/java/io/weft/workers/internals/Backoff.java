package io.weft.workers.internals;

/** Exponential backoff, 100 ms doubling up to 5 s; poll-thread only. */
final class Backoff {

  private static final long INITIAL_NANOS = 100_000_000L;
  private static final long MAX_NANOS = 5_000_000_000L;

  private long delayNanos;
  private long retryAtNanos;
  private boolean waiting;

  /** Whether we must still wait before trying again at {@code nowNanos}. */
  boolean isWaiting(long nowNanos) {
    return waiting && nowNanos - retryAtNanos < 0;
  }

  /** A failure at {@code nowNanos}: wait longer than last time. */
  void failed(long nowNanos) {
    delayNanos = delayNanos == 0 ? INITIAL_NANOS : Math.min(MAX_NANOS, delayNanos * 2);
    retryAtNanos = nowNanos + delayNanos;
    waiting = true;
  }

  /** A success: no waiting next time. */
  void succeeded() {
    delayNanos = 0;
    waiting = false;
  }
}

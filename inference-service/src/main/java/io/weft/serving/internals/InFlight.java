package io.weft.serving.internals;

import java.time.Duration;

/**
 * The requests a server has taken and not answered yet, counted so that it can close without
 * cutting them off; and whether it is stopping, when it takes no new request.
 */
final class InFlight {

  private int count;
  private volatile boolean stopping;

  /** A request taken. */
  synchronized void begin() {
    count++;
  }

  /** A request's answer written, or its connection gone. */
  synchronized void end() {
    if (--count == 0) {
      notifyAll();
    }
  }

  void stop() {
    stopping = true;
  }

  boolean isStopping() {
    return stopping;
  }

  /**
   * Waits until every request taken is answered.
   *
   * @return whether they were within {@code timeout}
   */
  synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}

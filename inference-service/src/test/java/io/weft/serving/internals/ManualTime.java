package io.weft.serving.internals;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;

/**
 * A clock that moves only when told to, as Kafka's {@code MockTime} (which lives in a test jar this
 * build does not have): {@link #waitObject} waits until its condition holds or the clock is moved
 * past its deadline. Thread-safe. (worker-runtime's tests have the same clock.)
 */
final class ManualTime implements Time {

  private final AtomicLong elapsedNanos = new AtomicLong();
  private final Set<Object> monitors = ConcurrentHashMap.newKeySet();

  @Override
  public long milliseconds() {
    return elapsedNanos.get() / 1_000_000;
  }

  @Override
  public long nanoseconds() {
    return elapsedNanos.get();
  }

  @Override
  public void sleep(long ms) {
    advance(Duration.ofMillis(ms));
  }

  /** Moves the clock on, waking whoever waits on it. */
  void advance(Duration duration) {
    elapsedNanos.addAndGet(duration.toNanos());
    for (Object monitor : monitors) {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }
  }

  /** Whether a thread waits in {@link #waitObject} now. */
  boolean hasWaiters() {
    return !monitors.isEmpty();
  }

  @Override
  public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs)
      throws InterruptedException {
    monitors.add(obj);
    try {
      synchronized (obj) {
        while (!condition.get()) {
          if (milliseconds() >= deadlineMs) {
            throw new TimeoutException("Condition not satisfied before deadline");
          }
          obj.wait();
        }
      }
    } finally {
      monitors.remove(obj);
    }
  }
}

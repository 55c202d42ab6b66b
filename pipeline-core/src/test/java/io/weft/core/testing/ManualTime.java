package io.weft.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;

/**
 * A clock that moves only when told to, as Kafka's {@code MockTime} (which lives in a test jar this
 * build does not have): {@link #sleep} returns at once, having moved the clock; {@link #waitObject}
 * waits until its condition holds or the clock is moved past its deadline. Thread-safe. Shared with
 * the other modules' tests through pipeline-core's test jar.
 */
public final class ManualTime implements Time {

  /** What {@link #milliseconds()} reads before the clock is moved. */
  public static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private static final long NANOS_ORIGIN = 1_000_000_000_000L;

  private final AtomicLong elapsedNanos = new AtomicLong();
  private final Set<Object> monitors = ConcurrentHashMap.newKeySet();

  @Override
  public long milliseconds() {
    return START.toEpochMilli() + elapsedNanos.get() / 1_000_000;
  }

  @Override
  public long nanoseconds() {
    return NANOS_ORIGIN + elapsedNanos.get();
  }

  /** The instant {@link #milliseconds()} reads now. */
  public Instant now() {
    return Instant.ofEpochMilli(milliseconds());
  }

  @Override
  public void sleep(long ms) {
    advance(Duration.ofMillis(ms));
  }

  /** Moves the clock on, waking whoever waits on it. */
  public void advance(Duration duration) {
    elapsedNanos.addAndGet(duration.toNanos());
    for (Object monitor : monitors) {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }
  }

  /** Whether a thread waits in {@link #waitObject} now. */
  public boolean hasWaiters() {
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

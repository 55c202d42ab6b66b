package io.weft.core.api;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** A {@link Time} that moves only when slept on: waits under test take no wall-clock time. */
final class ManualTime implements Time {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long milliseconds() {
    return nanos.get() / 1_000_000;
  }

  @Override
  public long nanoseconds() {
    return nanos.get();
  }

  @Override
  public void sleep(long ms) {
    nanos.addAndGet(ms * 1_000_000);
  }

  @Override
  public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
    while (!condition.get()) {
      if (milliseconds() >= deadlineMs) {
        throw new org.apache.kafka.common.errors.TimeoutException("condition not met");
      }
      sleep(1);
    }
  }
}

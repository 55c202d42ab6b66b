package io.weft.core.api;

import java.time.Duration;

/**
 * How often a task is attempted and how long to wait between attempts: the n-th retry waits {@code
 * min(initialBackoff * multiplier^(n-1), maxBackoff)}.
 *
 * @param maxAttempts total attempts, the first included; 1 means no retry
 * @param initialBackoff delay before the second attempt
 * @param multiplier factor applied to the delay after each further attempt
 * @param maxBackoff upper bound of the delay
 */
public record Retry(
    int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

  /** A single attempt. */
  public static final Retry NONE = new Retry(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

  /** {@code maxAttempts} attempts with a 1 s initial backoff, doubling, at most 30 s. */
  public static Retry attempts(int maxAttempts) {
    return new Retry(maxAttempts, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));
  }

  /** The delay before attempt {@code nextAttempt} (2 for the first retry). */
  public Duration backoffBefore(int nextAttempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }
}

package io.weft.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One of Weft's own meters: its Micrometer name (dotted; the Prometheus registry exposes it with
 * underscores, its base unit and {@code _total} for counters), kind, tags and help text. Every Weft
 * meter is created through one of these, so that {@link WeftMeters#ALL} lists each of them for the
 * generated metrics reference.
 *
 * @param component the process that exposes it: {@code coordinator}, {@code worker} or {@code
 *     inference}
 * @param baseUnit the unit of a summary's values ({@code bytes}, {@code results}), or null
 */
public record WeftMeter(
    String component,
    String name,
    Kind kind,
    String baseUnit,
    List<String> tagKeys,
    String description) {

  /** How a meter is exposed. */
  public enum Kind {
    /** A monotonic count: {@code <name>_total}. */
    COUNTER,
    /** A value that goes up and down, read when scraped. */
    GAUGE,
    /** Durations in seconds, as a histogram: {@code _bucket}, {@code _count}, {@code _sum}. */
    TIMER,
    /** Other amounts as a histogram. */
    SUMMARY
  }

  /** Durations from 1 ms to 1 h: task hops are milliseconds, trainings minutes. */
  private static final Duration MIN_DURATION = Duration.ofMillis(1);

  private static final Duration MAX_DURATION = Duration.ofHours(1);

  public WeftMeter {
    tagKeys = List.copyOf(tagKeys);
  }

  /** This counter with {@code tagValues} (one per tag key, in order), created on first use. */
  public Counter counter(MeterRegistry registry, String... tagValues) {
    check(Kind.COUNTER);
    return Counter.builder(name).description(description).tags(tags(tagValues)).register(registry);
  }

  /** This timer with {@code tagValues}, a histogram of seconds from 1 ms to 1 h. */
  public Timer timer(MeterRegistry registry, String... tagValues) {
    check(Kind.TIMER);
    return Timer.builder(name)
        .description(description)
        .tags(tags(tagValues))
        .publishPercentileHistogram()
        .minimumExpectedValue(MIN_DURATION)
        .maximumExpectedValue(MAX_DURATION)
        .register(registry);
  }

  /** This summary with {@code tagValues}, a histogram of its {@link #baseUnit}. */
  public DistributionSummary summary(MeterRegistry registry, String... tagValues) {
    check(Kind.SUMMARY);
    return DistributionSummary.builder(name)
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags(tagValues))
        .publishPercentileHistogram()
        .register(registry);
  }

  /** This gauge with {@code tagValues}, reading {@code value} of {@code state} when scraped. */
  public <T> Gauge gauge(
      MeterRegistry registry, T state, ToDoubleFunction<T> value, String... tagValues) {
    check(Kind.GAUGE);
    return Gauge.builder(name, state, value)
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags(tagValues))
        .strongReference(true)
        .register(registry);
  }

  private Tags tags(String... values) {
    if (values.length != tagKeys.size()) {
      throw new IllegalArgumentException(
          name + " takes tags " + tagKeys + ", given " + values.length + " values");
    }
    Tags tags = Tags.empty();
    for (int i = 0; i < values.length; i++) {
      tags = tags.and(tagKeys.get(i), values[i] == null ? "" : values[i]);
    }
    return tags;
  }

  private void check(Kind wanted) {
    if (kind != wanted) {
      throw new IllegalStateException(name + " is a " + kind + ", not a " + wanted);
    }
  }
}

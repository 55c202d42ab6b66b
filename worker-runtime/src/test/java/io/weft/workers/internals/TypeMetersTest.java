package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The slots a worker's share of a task type needs, from its starts, durations and lag. */
class TypeMetersTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TypeMeters meters = new TypeMeters(registry, "train");

  private double slots() {
    return registry.get("weft.worker.slots.needed").tag("type", "train").gauge().value();
  }

  @Test
  void shouldNeedTheSlotsThatKeepUpAndDrainTheBacklog() {
    // given: four attempts started within a second, each taking 2 s, and 30 requests behind
    meters.loop(0, 0, 0, SECOND);
    for (int i = 0; i < 4; i++) {
      meters.started(NOW, NOW);
      meters.finished(TypeMeters.Outcome.SUCCEEDED, 2 * SECOND, -1, -1);
    }

    // when
    meters.loop(30, 0, 0, 2 * SECOND);

    // then: 4/s x 2 s + 30 x 2 s / 300 s
    assertThat(slots()).isCloseTo(8.2, within(1e-9));
  }

  @Test
  void shouldNeedOneSlotForABacklogOfUnknownDurationAndNoneWhenIdle() {
    // when
    meters.loop(0, 0, 0, SECOND);
    meters.loop(0, 0, 0, 2 * SECOND);

    // then
    assertThat(slots()).isZero();

    // when
    meters.loop(5, 0, 0, 3 * SECOND);

    // then
    assertThat(slots()).isEqualTo(1.0);
  }
}

package io.weft.core.internals.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.time.ExecutionTime;
import io.weft.schemas.schedules.MissedTicks;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScheduleTicksTest {

  private static final ExecutionTime EVERY_2S = CronExpressions.parse("*/2 * * * * *");
  private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void shouldFireNothingBeforeTheNextTick() {
    // when
    ScheduleTicks plan =
        ScheduleTicks.plan(EVERY_2S, ZoneOffset.UTC, T, T.plusMillis(1999), MissedTicks.ALL);

    // then
    assertThat(plan.fire()).isEmpty();
    assertThat(plan.handledUpTo()).isEqualTo(T);
  }

  @Test
  void shouldFireATickThatCameDueWhateverThePolicy() {
    for (MissedTicks missed : MissedTicks.values()) {
      // when
      ScheduleTicks plan =
          ScheduleTicks.plan(EVERY_2S, ZoneOffset.UTC, T, T.plusMillis(2100), missed);

      // then
      assertThat(plan.fire()).as(missed.name()).containsExactly(T.plusSeconds(2));
      assertThat(plan.skipped()).isZero();
    }
  }

  @Test
  void shouldFireEveryMissedTickOldestFirstWithAll() {
    // when: 10 s passed without a plan
    ScheduleTicks plan =
        ScheduleTicks.plan(EVERY_2S, ZoneOffset.UTC, T, T.plusSeconds(10), MissedTicks.ALL);

    // then
    assertThat(plan.fire())
        .containsExactly(
            T.plusSeconds(2),
            T.plusSeconds(4),
            T.plusSeconds(6),
            T.plusSeconds(8),
            T.plusSeconds(10));
    assertThat(plan.handledUpTo()).isEqualTo(T.plusSeconds(10));
  }

  @Test
  void shouldFireOnlyTheLatestMissedTickWithLatest() {
    // when
    ScheduleTicks plan =
        ScheduleTicks.plan(EVERY_2S, ZoneOffset.UTC, T, T.plusSeconds(11), MissedTicks.LATEST);

    // then
    assertThat(plan.fire()).containsExactly(T.plusSeconds(10));
    assertThat(plan.skipped()).isEqualTo(4);
    assertThat(plan.handledUpTo()).isEqualTo(T.plusSeconds(10));
  }

  @Test
  void shouldFindTheLatestTickPastTheTicksOnePlanCounts() {
    // when: a day of 2-s ticks, far more than one plan counts
    Instant now = T.plus(Duration.ofDays(1)).plusMillis(500);
    ScheduleTicks plan = ScheduleTicks.plan(EVERY_2S, ZoneOffset.UTC, T, now, MissedTicks.LATEST);

    // then
    assertThat(plan.fire()).containsExactly(T.plus(Duration.ofDays(1)));
    assertThat(plan.skipped()).isGreaterThanOrEqualTo(ScheduleTicks.MAX_TICKS - 1);
  }

  @Test
  void shouldFireOnlyTicksUnderAMinuteLateWithSkip() {
    // when: 90 s passed
    ScheduleTicks plan =
        ScheduleTicks.plan(EVERY_2S, ZoneOffset.UTC, T, T.plusSeconds(90), MissedTicks.SKIP);

    // then: the ticks of the last minute fire, the 15 older ones do not
    assertThat(plan.fire()).hasSize(31).startsWith(T.plusSeconds(30)).endsWith(T.plusSeconds(90));
    assertThat(plan.skipped()).isEqualTo(14);
    assertThat(plan.handledUpTo()).isEqualTo(T.plusSeconds(90));
  }

  @Test
  void shouldReadTheExpressionInItsTimeZone() {
    // given: 03:00 every day in Paris, which is 02:00 UTC in winter
    ExecutionTime nightly = CronExpressions.parse("0 3 * * *");

    // when
    ScheduleTicks plan =
        ScheduleTicks.plan(
            nightly,
            ZoneId.of("Europe/Paris"),
            Instant.parse("2026-12-06T00:00:00Z"),
            Instant.parse("2026-12-06T02:00:00Z"),
            MissedTicks.ALL);

    // then
    assertThat(plan.fire()).containsExactly(Instant.parse("2026-12-06T02:00:00Z"));
  }

  @Test
  void shouldNameWhatIsWrongWithAnExpression() {
    assertThatThrownBy(() -> CronExpressions.parse("* * *"))
        .hasMessageContaining("cron expression '* * *' is invalid: 3 fields; expected 5");
    assertThatThrownBy(() -> CronExpressions.parse("61 * * * *"))
        .hasMessageContaining("cron expression '61 * * * *' is invalid");
  }
}

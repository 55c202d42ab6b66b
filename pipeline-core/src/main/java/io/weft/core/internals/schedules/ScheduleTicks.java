package io.weft.core.internals.schedules;

import com.cronutils.model.time.ExecutionTime;
import io.weft.schemas.schedules.MissedTicks;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which ticks of a schedule to fire now: a pure function of its expression, the last tick it
 * handled (fired or skipped) and the time. Ticks later than {@code now} wait; of those due, the
 * {@link MissedTicks} policy picks.
 *
 * @param fire the ticks to fire, oldest first
 * @param skipped how many due ticks the policy skipped (at least, when more were due than counted)
 * @param handledUpTo the newest tick fired or skipped: the next plan starts after it
 */
public record ScheduleTicks(List<Instant> fire, int skipped, Instant handledUpTo) {

  /** The most ticks one plan looks at; {@code ALL} fires the rest in the next plans. */
  static final int MAX_TICKS = 1_000;

  /** How late a tick may be and still fire under {@code SKIP}. */
  static final Duration SKIP_AFTER = Duration.ofMinutes(1);

  /** The plan for a schedule whose last handled tick is {@code last}. */
  public static ScheduleTicks plan(
      ExecutionTime times, ZoneId zone, Instant last, Instant now, MissedTicks missed) {
    List<Instant> due = new ArrayList<>();
    Instant tick = last;
    boolean more = false;
    while (true) {
      Optional<ZonedDateTime> next = times.nextExecution(tick.atZone(zone));
      if (next.isEmpty() || next.get().toInstant().isAfter(now)) {
        break;
      }
      if (due.size() == MAX_TICKS) {
        more = true;
        break;
      }
      tick = next.get().toInstant();
      due.add(tick);
    }
    if (due.isEmpty()) {
      return new ScheduleTicks(List.of(), 0, last);
    }
    return switch (missed) {
      case ALL -> new ScheduleTicks(List.copyOf(due), 0, tick);
      case LATEST -> {
        Instant latest = more ? latest(times, zone, now).orElse(tick) : tick;
        yield new ScheduleTicks(List.of(latest), due.size() - 1, latest);
      }
      case SKIP -> {
        Instant newest = more ? latest(times, zone, now).orElse(tick) : tick;
        List<Instant> onTime = due.stream().filter(t -> !t.plus(SKIP_AFTER).isBefore(now)).toList();
        if (more && onTime.isEmpty() && !newest.plus(SKIP_AFTER).isBefore(now)) {
          onTime = List.of(newest);
        }
        yield new ScheduleTicks(onTime, due.size() - onTime.size(), newest);
      }
    };
  }

  /** The newest tick at or before {@code now}. */
  private static Optional<Instant> latest(ExecutionTime times, ZoneId zone, Instant now) {
    return times.lastExecution(now.plusMillis(1).atZone(zone)).map(ZonedDateTime::toInstant);
  }
}

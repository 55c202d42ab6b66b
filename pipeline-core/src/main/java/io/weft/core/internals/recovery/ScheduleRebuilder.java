package io.weft.core.internals.recovery;

import io.weft.core.internals.schedules.ScheduleStores;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.schedules.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Rebuilds the schedule processor's stores with the run stores: the schedules from their topic, and
 * each schedule's newest handled tick from the runs the log shows it started (their run keys,
 * {@code schedule:<name>:<tick>}, see {@code ScheduleProcessor}), so that a recovered coordinator
 * neither fires a tick again nor forgets a schedule. Both stores have one partition, as the
 * schedules topic.
 */
public final class ScheduleRebuilder {

  private static final String PREFIX = "schedule:";

  private final Map<String, Instant> lastTicks = new HashMap<>();

  /** Notes the tick of a run a schedule started; other events are ignored. */
  public void observe(RunEvent event) {
    if (!(event.getEvent() instanceof RunStarted started)
        || started.getRunKey() == null
        || !started.getRunKey().startsWith(PREFIX)) {
      return;
    }
    String rest = started.getRunKey().substring(PREFIX.length());
    int colon = rest.indexOf(':'); // names hold no ':'; the tick (ISO-8601) does
    if (colon <= 0) {
      return;
    }
    try {
      Instant tick = Instant.parse(rest.substring(colon + 1));
      lastTicks.merge(rest.substring(0, colon), tick, (a, b) -> a.isAfter(b) ? a : b);
    } catch (DateTimeParseException notOurs) {
      // a client's own run key that happens to start with "schedule:"
    }
  }

  /** The newest tick of each schedule that started a run, by schedule name. */
  public Map<String, Instant> lastTicks() {
    return Map.copyOf(lastTicks);
  }

  /** The changelogs of the schedule stores of coordinator {@code applicationId}. */
  public static List<String> changelogs(String applicationId) {
    return List.of(
        StateRebuilder.changelog(applicationId, ScheduleStores.SCHEDULES),
        StateRebuilder.changelog(applicationId, ScheduleStores.TICKS));
  }

  /**
   * Writes the schedules and their last ticks to the stores' changelogs and waits for the broker. A
   * schedule whose runs the log does not show starts from its creation, as a new one does.
   *
   * @return how many schedules were written
   */
  public int write(
      String applicationId,
      Map<String, Schedule> schedules,
      Producer<String, Schedule> schedulesOut,
      Producer<String, Long> ticksOut,
      Instant now,
      Duration timeout) {
    String schedulesTopic = StateRebuilder.changelog(applicationId, ScheduleStores.SCHEDULES);
    String ticksTopic = StateRebuilder.changelog(applicationId, ScheduleStores.TICKS);
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (Schedule schedule : schedules.values()) {
      String name = schedule.getName();
      sends.add(schedulesOut.send(new ProducerRecord<>(schedulesTopic, 0, name, schedule)));
      Instant last = lastTicks.get(name);
      long from = schedule.getCreatedAt().toEpochMilli();
      long tick = Math.max(from, last == null ? now.toEpochMilli() : last.toEpochMilli());
      sends.add(ticksOut.send(new ProducerRecord<>(ticksTopic, 0, name, tick)));
    }
    try {
      for (Future<RecordMetadata> send : sends) {
        send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot write the schedule changelogs: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while writing the schedule changelogs", e);
    }
    return schedules.size();
  }
}

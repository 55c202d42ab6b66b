package io.weft.core.internals.schedules;

import com.cronutils.model.time.ExecutionTime;
import io.weft.core.api.DeadLetters;
import io.weft.core.api.RunKeys;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.schedules.Schedule;
import io.weft.schemas.serde.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires schedules: keeps the schedules of {@code weft.schedules} in a store, and on a wall-clock
 * punctuator writes a {@code StartRun} to {@code weft.commands} for each tick that came due, with
 * the run key {@code schedule:<name>:<tick>}. The tick handled last is stored per schedule in the
 * same transaction as the commands (exactly-once processing), so a restart resumes after it and a
 * tick is never fired twice; should a command be written again anyway, its run id, derived from the
 * run key, names a run that exists, which the coordinator ignores.
 */
public final class ScheduleProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final Logger log = LoggerFactory.getLogger(ScheduleProcessor.class);

  private final Deserializer<Schedule> schedules;
  private final Duration interval;
  private final String commandsSink;
  private final String dlqSink;
  private final Map<String, Loaded> active = new HashMap<>();
  private boolean restored;
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, Schedule> store;
  private KeyValueStore<String, Long> handled;

  public ScheduleProcessor(
      Deserializer<Schedule> schedules, Duration interval, String commandsSink, String dlqSink) {
    this.schedules = schedules;
    this.interval = interval;
    this.commandsSink = commandsSink;
    this.dlqSink = dlqSink;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    store = context.getStateStore(ScheduleStores.SCHEDULES);
    handled = context.getStateStore(ScheduleStores.TICKS);
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::fireDue);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String name = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    Schedule schedule;
    Loaded loaded = null;
    try {
      schedule = record.value() == null ? null : schedules.deserialize(topic(), record.value());
      if (name == null || (schedule != null && !name.equals(schedule.getName()))) {
        throw new IllegalArgumentException(
            "record key '" + name + "' is not the name of its schedule");
      }
      if (schedule != null) {
        loaded = Loaded.of(schedule); // checked afresh: a bad update never reaches the store
      }
    } catch (UndecodableRecordException | IllegalArgumentException e) {
      deadLetter(record, e);
      return;
    }
    if (schedule == null) {
      store.delete(name);
      handled.delete(name);
      active.remove(name);
      log.info("Schedule '{}' deleted", name);
      return;
    }
    Long last = handled.get(name);
    long from = schedule.getCreatedAt().toEpochMilli();
    if (last == null || last < from) {
      last = from; // a new or re-created schedule: no tick before its creation
      handled.put(name, last);
    }
    store.put(name, schedule);
    active.put(name, loaded.after(Instant.ofEpochMilli(last)));
    log.info(
        "Schedule '{}': {} on '{}' ({}), missed ticks: {}",
        name,
        schedule.getWorkflowName(),
        schedule.getCron(),
        schedule.getTimeZone(),
        schedule.getMissed());
  }

  /**
   * Fires what came due. Between ticks it only compares each schedule's next tick, kept in memory,
   * with the clock; the stores are read when a tick is due.
   */
  private void fireDue(long wallClockMs) {
    Instant now = Instant.ofEpochMilli(wallClockMs);
    if (!restored) {
      restore();
    }
    for (Loaded loaded : List.copyOf(active.values())) {
      if (loaded.nextDue() == null || loaded.nextDue().isAfter(now)) {
        continue;
      }
      String name = loaded.schedule().getName();
      try {
        Long last = handled.get(name);
        ScheduleTicks plan =
            ScheduleTicks.plan(
                loaded.times(),
                loaded.zone(),
                last == null ? loaded.schedule().getCreatedAt() : Instant.ofEpochMilli(last),
                now,
                loaded.schedule().getMissed());
        for (Instant tick : plan.fire()) {
          start(loaded.schedule(), tick, now);
        }
        if (plan.skipped() > 0) {
          log.warn(
              "Schedule '{}': skipped {} missed tick(s) up to {} (missed ticks: {})",
              name,
              plan.skipped(),
              plan.handledUpTo(),
              loaded.schedule().getMissed());
        }
        if (last == null || plan.handledUpTo().toEpochMilli() != last) {
          handled.put(name, plan.handledUpTo().toEpochMilli());
        }
        active.put(name, loaded.after(plan.handledUpTo()));
      } catch (IllegalArgumentException | DateTimeException e) {
        // not expected (records are checked as they arrive), but one schedule must not stop
        // the stream thread: it stops firing until it is replaced
        log.error("Schedule '{}' cannot be fired and is set aside: {}", name, e.toString());
        active.remove(name);
      }
    }
  }

  /** The schedules of the store, after a restart or a move of the task: their next ticks. */
  private void restore() {
    restored = true;
    try (KeyValueIterator<String, Schedule> it = store.all()) {
      it.forEachRemaining(
          kv -> {
            try {
              Long last = handled.get(kv.key);
              Instant from = last == null ? kv.value.getCreatedAt() : Instant.ofEpochMilli(last);
              active.put(kv.key, Loaded.of(kv.value).after(from));
            } catch (IllegalArgumentException | DateTimeException e) {
              log.error("Stored schedule '{}' cannot be read and is set aside: {}", kv.key, e);
            }
          });
    }
  }

  private void start(Schedule schedule, Instant tick, Instant now) {
    String runKey = runKey(schedule.getName(), tick);
    String runId = RunKeys.runId(schedule.getWorkflowName(), runKey);
    StartRun start =
        new StartRun(
            runId,
            runKey,
            schedule.getWorkflowName(),
            schedule.getWorkflowVersion(),
            new HashMap<>(schedule.getParams()),
            now);
    context.forward(new Record<>(runId, new RunCommand(start), now.toEpochMilli()), commandsSink);
    log.debug("Schedule '{}': tick {} starts run {}", schedule.getName(), tick, runId);
  }

  /** The run key of one tick of a schedule. */
  public static String runKey(String schedule, Instant tick) {
    return "schedule:" + schedule + ":" + tick;
  }

  private String topic() {
    return context.recordMetadata().map(m -> m.topic()).orElse("?");
  }

  private void deadLetter(Record<byte[], byte[]> record, RuntimeException error) {
    log.warn("Setting a schedule record aside on the dead-letter topic: {}", error.getMessage());
    context.forward(
        DeadLetters.record(record, context.recordMetadata(), error, "coordinator"), dlqSink);
  }

  /** A schedule ready to fire: its parsed expression and zone, and its next tick (null: none). */
  private record Loaded(Schedule schedule, ExecutionTime times, ZoneId zone, Instant nextDue) {

    /**
     * @throws IllegalArgumentException if the expression or the zone is not valid here
     */
    static Loaded of(Schedule schedule) {
      ZoneId zone;
      try {
        zone = ZoneId.of(schedule.getTimeZone());
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(
            "time zone '" + schedule.getTimeZone() + "' is not known: " + e.getMessage(), e);
      }
      return new Loaded(schedule, CronExpressions.parse(schedule.getCron()), zone, null);
    }

    /** This schedule, due next at its first tick after {@code handled}. */
    Loaded after(Instant handled) {
      Instant next =
          times.nextExecution(handled.atZone(zone)).map(ZonedDateTime::toInstant).orElse(null);
      return new Loaded(schedule, times, zone, next);
    }
  }
}

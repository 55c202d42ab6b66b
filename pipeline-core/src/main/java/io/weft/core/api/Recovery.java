package io.weft.core.api;

import io.weft.common.WeftException;
import io.weft.core.internals.client.TopicSnapshot;
import io.weft.core.internals.config.PassThrough;
import io.weft.core.internals.recovery.ChangelogWriter;
import io.weft.core.internals.recovery.EventLogReader;
import io.weft.core.internals.recovery.LocalStateDirectory;
import io.weft.core.internals.recovery.ScheduleRebuilder;
import io.weft.core.internals.recovery.StateRebuilder;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.schedules.Schedule;
import io.weft.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a coordinator's lost state from the event log.
 *
 * <p>When a coordinator's local state and its changelog topics are gone, run {@link #rebuild(Map)}
 * with the coordinator's settings while every instance is stopped, then start the coordinator
 * again. A local state directory that still holds state makes it refuse (see {@link #rebuild(Map,
 * boolean)}). Every run's state is the fold of its events on {@code weft.events}, which the
 * coordinator writes in the same transactions as its state and its dispatches; the rebuilt states
 * and their timers are written to the changelog topics, from which the coordinator restores its
 * stores on start. Completed tasks are not run again: their success is in the log. Tasks that were
 * in flight keep their attempt: their requests are on the task topics already, and their results,
 * if any, are still ahead of the coordinator's committed input offsets.
 *
 * <p>The log is rebuilt one partition at a time: a run's events are all in the partition of its run
 * id, which is also the partition of its state in the changelogs, so each partition is read to its
 * end, folded, written and acknowledged before the next is read, and a rebuild holds one
 * partition's runs in memory, not the whole log's.
 *
 * <p>Only runs whose whole history is still on {@code weft.events} can be rebuilt. With a finite
 * retention ({@code weft.events.retention.ms}), a run whose first events were deleted is skipped
 * and counted ({@link Report#skippedRuns()}), not rebuilt half-way.
 */
public final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Recovery.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * What a rebuild found and wrote.
   *
   * @param eventsRead the events read from the event log
   * @param runs the runs rebuilt, running or finished
   * @param runningRuns those of them still running
   * @param timers the timers written (timeouts and retries of running runs, expiries of finished
   *     ones)
   * @param partitions the partitions of the event log, each read, folded and written in turn
   * @param skippedRuns the runs not rebuilt because their first events are no longer on the event
   *     log (its retention deleted them; see {@code weft.events.retention.ms})
   */
  public record Report(
      long eventsRead, int runs, int runningRuns, int timers, int partitions, int skippedRuns) {}

  private Recovery() {}

  /**
   * Rebuilds the state of the coordinator configured by {@code settings}, refusing to if its local
   * state directory on this machine holds state (see {@link #rebuild(Map, boolean)}).
   *
   * @throws WeftException if an instance of the coordinator is still running, or its local state
   *     directory holds state
   */
  public static Report rebuild(Map<String, ?> settings) {
    return rebuild(settings, false);
  }

  /**
   * Rebuilds the state of the coordinator configured by {@code settings}.
   *
   * <p>A coordinator started over a local state directory ({@link
   * CoordinatorConfig#localStateDirectory()}) that still holds state would keep that state and
   * restore only what the changelogs hold past its checkpoints, not the rebuilt state. So unless
   * {@code wipeLocalState} is set, a directory that holds state fails the rebuild before anything
   * is written; with it, the directory is deleted once every instance is seen stopped. Only this
   * machine's directory can be checked: delete it wherever else an instance ran.
   *
   * @param wipeLocalState delete this machine's local state directory rather than refuse
   * @throws WeftException if an instance of the coordinator is still running, or (unless {@code
   *     wipeLocalState}) its local state directory holds state
   */
  public static Report rebuild(Map<String, ?> settings, boolean wipeLocalState) {
    GeneratedClasses.trust();
    CoordinatorConfig config = new CoordinatorConfig(settings);
    WeftTopics topics = config.topics();
    String applicationId = config.getString(CoordinatorConfig.APPLICATION_ID_CONFIG);
    LocalStateDirectory local = new LocalStateDirectory(config.localStateDirectory());
    if (!wipeLocalState) {
      local.requireNoState(applicationId);
    }
    Map<String, Object> clientProps = new HashMap<>(PassThrough.security(settings));
    clientProps.put("bootstrap.servers", config.bootstrapServers());
    int partitions;
    try (Admin admin = Admin.create(clientProps)) {
      requireStopped(admin, applicationId);
      TopicAdmin topicAdmin = config.topicAdmin(admin);
      partitions = topicAdmin.ensureCore().get(topics.events());
      Map<String, Map<String, String>> changelogs = new LinkedHashMap<>();
      for (String changelog : StateRebuilder.changelogs(applicationId)) {
        changelogs.put(
            changelog, config.withMinInsyncReplicas(Map.of("cleanup.policy", "compact")));
      }
      topicAdmin.ensureChangelogs(changelogs, partitions);
      Map<String, Map<String, String>> scheduleChangelogs = new LinkedHashMap<>();
      for (String changelog : ScheduleRebuilder.changelogs(applicationId)) {
        scheduleChangelogs.put(
            changelog, config.withMinInsyncReplicas(Map.of("cleanup.policy", "compact")));
      }
      topicAdmin.ensureChangelogs(scheduleChangelogs, 1); // as the schedules topic
    }
    ScheduleRebuilder schedules = new ScheduleRebuilder();
    if (wipeLocalState && !local.stateEntries().isEmpty()) {
      log.warn("Deleting the local state of coordinator {} in {}", applicationId, local.path());
      local.wipe();
    }
    StateRebuilder.Totals totals;
    try (KafkaConsumer<String, RunEvent> events = eventsConsumer(clientProps, config);
        KafkaProducer<String, RunState> states =
            new KafkaProducer<>(
                producerProps(clientProps),
                new StringSerializer(),
                new AvroSerializer<>(config.serdeConfig(), false));
        KafkaProducer<String, TaskState> children =
            new KafkaProducer<>(
                producerProps(clientProps),
                new StringSerializer(),
                new AvroSerializer<>(config.serdeConfig(), false));
        KafkaProducer<String, String> timers =
            new KafkaProducer<>(
                producerProps(clientProps), new StringSerializer(), new StringSerializer())) {
      StateRebuilder rebuilder =
          new StateRebuilder(
              new EventLogReader(events, topics.events(), TIMEOUT, Time.SYSTEM),
              new ChangelogWriter(
                  states,
                  children,
                  timers,
                  applicationId,
                  partitions,
                  Duration.ofMillis(config.getLong(CoordinatorConfig.RUN_RETENTION_MS_CONFIG)),
                  TIMEOUT),
              schedules);
      totals = rebuilder.rebuild(partitions);
    }
    int rebuiltSchedules = rebuildSchedules(schedules, clientProps, config, applicationId);
    Report report =
        new Report(
            totals.eventsRead(),
            totals.runs(),
            totals.runningRuns(),
            totals.timers(),
            totals.partitions(),
            totals.skippedRuns());
    if (report.skippedRuns() > 0) {
      log.warn(
          "Skipped {} runs whose first events are no longer on {} (deleted by its retention):"
              + " they cannot be rebuilt, and the coordinator will not know them",
          report.skippedRuns(),
          topics.events());
    }
    log.info("Recovered coordinator {}: {}; {} schedules", applicationId, report, rebuiltSchedules);
    return report;
  }

  /** The schedule stores: the schedules from their topic, their last ticks from the log. */
  private static int rebuildSchedules(
      ScheduleRebuilder schedules,
      Map<String, Object> clientProps,
      CoordinatorConfig config,
      String applicationId) {
    Map<String, Object> consumerProps = new HashMap<>(clientProps);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Schedule> current =
        TopicSnapshot.read(
            consumerProps,
            config.topics().schedules(),
            WeftTopics.SCHEDULES.deserializer(config.serdeConfig()),
            TIMEOUT);
    try (KafkaProducer<String, Schedule> schedulesOut =
            new KafkaProducer<>(
                producerProps(clientProps),
                new StringSerializer(),
                new AvroSerializer<>(config.serdeConfig(), false));
        KafkaProducer<String, Long> ticksOut =
            new KafkaProducer<>(
                producerProps(clientProps), new StringSerializer(), new LongSerializer())) {
      return schedules.write(
          applicationId, current, schedulesOut, ticksOut, Instant.now(), TIMEOUT);
    }
  }

  /**
   * Fails, naming the directory and what to do, if the local state directory on this machine of the
   * coordinator configured by {@code settings} holds state. {@link #rebuild(Map)} checks it first;
   * this lets a caller fail before it connects to anything.
   *
   * @throws WeftException if it holds state
   */
  public static void requireNoLocalState(Map<String, ?> settings) {
    CoordinatorConfig config = new CoordinatorConfig(settings);
    new LocalStateDirectory(config.localStateDirectory())
        .requireNoState(config.getString(CoordinatorConfig.APPLICATION_ID_CONFIG));
  }

  private static KafkaConsumer<String, RunEvent> eventsConsumer(
      Map<String, Object> clientProps, CoordinatorConfig config) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    // a partition ends on a transaction marker, which a fetch returns no record for: the broker
    // would hold that fetch for fetch.max.wait.ms (500 ms) before the position passes it
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    return new KafkaConsumer<>(
        props, new StringDeserializer(), WeftTopics.EVENTS.deserializer(config.serdeConfig()));
  }

  private static Map<String, Object> producerProps(Map<String, Object> clientProps) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }

  private static void requireStopped(Admin admin, String applicationId) {
    try {
      ConsumerGroupDescription group =
          admin
              .describeConsumerGroups(List.of(applicationId))
              .describedGroups()
              .get(applicationId)
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!group.members().isEmpty()) {
        throw new WeftException(
            "Coordinator '"
                + applicationId
                + "' still has "
                + group.members().size()
                + " running instance(s); stop every instance before recovering its state");
      }
    } catch (WeftException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // a group that never existed has no members: nothing to check
      log.debug("Could not describe group {}: {}", applicationId, e.toString());
    }
  }
}

package io.weft.core.api;

import io.weft.common.WeftException;
import io.weft.core.internals.config.PassThrough;
import io.weft.core.internals.coordinator.Timer;
import io.weft.core.internals.recovery.StateRebuilder;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a coordinator's lost state from the event log.
 *
 * <p>When a coordinator's local state and its changelog topics are gone, run {@link #rebuild(Map)}
 * with the coordinator's settings while every instance is stopped, then start the coordinator
 * again. Every run's state is the fold of its events on {@code weft.events}, which the coordinator
 * writes in the same transactions as its state and its dispatches; the rebuilt states and their
 * timers are written to the changelog topics, from which the coordinator restores its stores on
 * start. Completed tasks are not run again: their success is in the log. Tasks that were in flight
 * keep their attempt: their requests are on the task topics already, and their results, if any, are
 * still ahead of the coordinator's committed input offsets.
 */
public final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Recovery.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What a rebuild found and wrote. */
  public record Report(long eventsRead, int runs, int runningRuns, int timers) {}

  private Recovery() {}

  /**
   * Rebuilds the state of the coordinator configured by {@code settings}.
   *
   * @throws WeftException if an instance of the coordinator is still running
   */
  public static Report rebuild(Map<String, ?> settings) {
    GeneratedClasses.trust();
    CoordinatorConfig config = new CoordinatorConfig(settings);
    WeftTopics topics = config.topics();
    String applicationId = config.getString(CoordinatorConfig.APPLICATION_ID_CONFIG);
    Map<String, Object> clientProps = new HashMap<>(PassThrough.security(settings));
    clientProps.put("bootstrap.servers", config.bootstrapServers());
    int partitions;
    try (Admin admin = Admin.create(clientProps)) {
      requireStopped(admin, applicationId);
      TopicAdmin topicAdmin = config.topicAdmin(admin);
      partitions = topicAdmin.ensureCore().get(topics.commands());
      Map<String, Map<String, String>> changelogs = new LinkedHashMap<>();
      changelogs.put(
          StateRebuilder.runsChangelog(applicationId), Map.of("cleanup.policy", "compact"));
      changelogs.put(
          StateRebuilder.timersChangelog(applicationId), Map.of("cleanup.policy", "compact"));
      topicAdmin.ensureChangelogs(changelogs, partitions);
    }
    StateRebuilder rebuilder =
        new StateRebuilder()
            .readAll(
                clientProps,
                topics.events(),
                WeftTopics.EVENTS.deserializer(config.serdeConfig()),
                TIMEOUT);
    Report report = write(clientProps, config, applicationId, partitions, rebuilder);
    log.info("Recovered coordinator {}: {}", applicationId, report);
    return report;
  }

  private static Report write(
      Map<String, Object> clientProps,
      CoordinatorConfig config,
      String applicationId,
      int partitions,
      StateRebuilder rebuilder) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    String runsTopic = StateRebuilder.runsChangelog(applicationId);
    String timersTopic = StateRebuilder.timersChangelog(applicationId);
    int running = 0;
    int timers = 0;
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<String, RunState> states =
            new KafkaProducer<>(
                props, new StringSerializer(), new AvroSerializer<>(config.serdeConfig(), false));
        KafkaProducer<String, String> timerWriter =
            new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (RunState run : rebuilder.runs().values()) {
        int partition = StateRebuilder.partitionOf(run.getRunId(), partitions);
        sends.add(states.send(new ProducerRecord<>(runsTopic, partition, run.getRunId(), run)));
        for (Timer timer :
            StateRebuilder.timers(
                run,
                Duration.ofMillis(config.getLong(CoordinatorConfig.RUN_RETENTION_MS_CONFIG)))) {
          sends.add(
              timerWriter.send(new ProducerRecord<>(timersTopic, partition, timer.key(), "")));
          timers++;
        }
        if (run.getStatus() == io.weft.schemas.internal.RunStatus.RUNNING) {
          running++;
        }
      }
      for (Future<RecordMetadata> send : sends) {
        send.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new WeftException("Writing the recovered state failed: " + e.getMessage(), e);
    }
    return new Report(rebuilder.eventsRead(), rebuilder.runs().size(), running, timers);
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

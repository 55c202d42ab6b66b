package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.coordinator.CoordinatorMetrics;
import io.weft.core.internals.coordinator.CoordinatorTopology;
import io.weft.core.internals.coordinator.ProcessingSettings;
import io.weft.core.internals.coordinator.RunEngine;
import io.weft.core.internals.coordinator.Step;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.results.TaskResult;
import io.weft.testkit.WeftInstallation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The coordinator's failure policy on a real broker: a run whose input cannot be processed fails
 * alone and the rest of its partition goes on; a run whose definition was deleted fails.
 */
@ExtendWith(WeftStackExtension.class)
class FailurePolicyIT {

  /** The run id WeftClient gives workflow "plain" with run key "bad". */
  private static final String BAD_RUN_ID =
      UUID.nameUUIDFromBytes("plain\u0000bad".getBytes(StandardCharsets.UTF_8)).toString();

  @Test
  void shouldFailARunWhoseProcessingThrowsAloneAndRunTheNextRunOfItsPartition(WeftStack stack)
      throws Exception {
    // given: the coordinator's topology on the real broker, with an engine that throws on one
    // run's result, as a bug would; one partition, so that the runs share it
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "injected")
            .withSharedSettings(Map.of("weft.partitions", "1"))
            .withHandlers(new TestHandlers())) {
      weft.startCoordinator(); // its topics, and a registration it confirms
      weft.startWorker(Map.of(), "step");
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("plain", 1).task(TaskDefinition.builder("a", "step")).build());
      weft.stopCoordinator();
      CoordinatorMetrics metrics = new CoordinatorMetrics();
      RunEngine failing =
          new RunEngine(Duration.ofMinutes(10)) {
            @Override
            public Step result(
                TaskResult result, WorkflowDefinition definition, RunState state, Instant now) {
              if (result.getRunId().equals(BAD_RUN_ID)) {
                throw new IllegalStateException("injected failure");
              }
              return super.result(result, definition, state, now);
            }
          };
      try (KafkaStreams streams = injectedCoordinator(weft, failing, metrics)) {
        streams.start();

        // when: the bad run, then a good one, on the one partition
        String badRun = client.startRun("plain", null, Map.of(), "bad");
        String goodRun = client.startRun("plain", null, Map.of(), "good");

        // then: the bad run failed naming the cause, the good one succeeded after it
        List<RunEvent> bad = weft.eventLog().runLog(badRun);
        RunFailed failed = (RunFailed) bad.get(bad.size() - 1).getEvent();
        assertThat(failed.getError().getErrorClass()).isEqualTo("weft.InternalError");
        assertThat(failed.getError().getMessage()).contains("injected failure", "TaskResult");
        List<RunEvent> good = weft.eventLog().runLog(goodRun);
        assertThat(good.get(good.size() - 1).getEvent()).isInstanceOf(RunSucceeded.class);
        assertThat(metrics.internalErrors()).isEqualTo(1);
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    }
  }

  @Test
  void shouldFailARunningRunWhoseDefinitionWasDeletedAtItsNextInputAndRunTheNextRun(WeftStack stack)
      throws Exception {
    // given: a run whose task takes a few seconds, on the one partition
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "deleted-definition")
            .withSharedSettings(Map.of("weft.partitions", "1"))
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      weft.startWorker(Map.of(), "slow", "step");
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("long", 1)
              .task(TaskDefinition.builder("a", "slow").param("millis", 3_000))
              .build());
      client.register(
          WorkflowDefinition.builder("plain", 1).task(TaskDefinition.builder("a", "step")).build());
      String runId = client.startRun("long", Map.of());
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.status(runId).map(r -> r.tasks().containsKey("a")).orElse(false));

      // when: its definition is deleted (a tombstone on the definitions topic)
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              weft.connection(), new StringSerializer(), new ByteArraySerializer())) {
        producer
            .send(new ProducerRecord<>(weft.topics().definitions(), "long:1", null))
            .get(30, TimeUnit.SECONDS);
      }

      // then: at the task's result the run fails, naming the workflow
      RunView ended = client.awaitCompletion(runId, Duration.ofSeconds(15));
      assertThat(ended.status()).isEqualTo(RunView.Status.FAILED);
      List<RunEvent> log = weft.eventLog().runLog(runId);
      RunFailed failed = (RunFailed) log.get(log.size() - 1).getEvent();
      assertThat(failed.getError().getErrorClass()).isEqualTo("weft.UnknownWorkflow");
      assertThat(failed.getError().getMessage()).contains("long version 1", "deleted");
      // and a run started after it on the same partition succeeds
      String next = client.startRun("plain", Map.of());
      assertThat(client.awaitCompletion(next, Duration.ofSeconds(10)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
  }

  /** The coordinator's topology with {@code engine}, on the installation's topics and broker. */
  private static KafkaStreams injectedCoordinator(
      WeftInstallation weft, RunEngine engine, CoordinatorMetrics metrics) {
    Map<String, Object> settings = weft.coordinatorSettings();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, weft.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, weft.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, weft.dir().resolve("injected-state").toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 5);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    return new KafkaStreams(
        CoordinatorTopology.build(
            weft.topics(),
            Map.of("schema.registry.url", settings.get("schema.registry.url")),
            engine,
            new ProcessingSettings(
                Duration.ofMillis(50), Duration.ofDays(7), 1, engine.maxRecordBytes()),
            metrics),
        props);
  }
}

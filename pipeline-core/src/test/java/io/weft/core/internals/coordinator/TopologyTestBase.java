package io.weft.core.internals.coordinator;

import io.weft.core.api.WeftTopics;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.definition.DefinitionCodec;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.registry.InMemorySchemaRegistry;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The coordinator's topology on a TopologyTestDriver: the driver, its topics and input helpers. */
abstract class TopologyTestBase {

  static final String SCOPE = "coordinator-topology-test";
  static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://" + SCOPE);
  static final WeftTopics TOPICS = WeftTopics.withDefaultPrefix();
  static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
  static final Duration RETENTION = Duration.ofHours(1);

  TopologyTestDriver driver;
  TestInputTopic<String, WorkflowDef> definitions;
  TestInputTopic<String, RunCommand> commands;
  TestInputTopic<String, TaskReport> results;
  TestInputTopic<byte[], byte[]> rawCommands;
  TestOutputTopic<String, TaskRequest> tasks;
  TestOutputTopic<String, RunEvent> events;
  TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void startDriver() {
    startDriver(new RunEngine(Duration.ofMinutes(10)));
  }

  /** (Re)starts the driver with {@code engine}. */
  void startDriver(RunEngine engine) {
    if (driver != null) {
      driver.close();
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "weft-coordinator-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    var topology =
        CoordinatorTopology.build(
            TOPICS,
            SERDE,
            engine,
            new ProcessingSettings(Duration.ofMillis(100), RETENTION, 1, engine.maxRecordBytes()),
            new CoordinatorMetrics());
    driver = new TopologyTestDriver(topology, props, START);
    definitions =
        driver.createInputTopic(
            TOPICS.definitions(), new StringSerializer(), new AvroSerializer<>(SERDE, false));
    commands =
        driver.createInputTopic(
            TOPICS.commands(), new StringSerializer(), new AvroSerializer<>(SERDE, false));
    results =
        driver.createInputTopic(
            TOPICS.results(), new StringSerializer(), new AvroSerializer<>(SERDE, false));
    rawCommands =
        driver.createInputTopic(
            TOPICS.commands(), new ByteArraySerializer(), new ByteArraySerializer());
    tasks =
        driver.createOutputTopic(
            TOPICS.tasks("noop"),
            new StringDeserializer(),
            new AvroDeserializer<>(TaskRequest.class, SERDE));
    events =
        driver.createOutputTopic(
            TOPICS.events(),
            new StringDeserializer(),
            new AvroDeserializer<>(RunEvent.class, SERDE));
    deadLetters =
        driver.createOutputTopic(
            TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
    InMemorySchemaRegistry.drop(SCOPE);
  }

  void register(WorkflowDefinition definition) {
    definitions.pipeInput(definition.key(), DefinitionCodec.toAvro(definition, START));
  }

  void start(String runId, String workflow) {
    commands.pipeInput(
        runId, new RunCommand(new StartRun(runId, null, workflow, null, Map.of(), START)));
  }

  void succeed(TaskRequest request) {
    succeed(request, Map.of());
  }

  void succeed(TaskRequest request, Map<String, TaskOutput> outputs) {
    TaskResult result =
        TaskResult.newBuilder()
            .setRunId(request.getRunId())
            .setTaskId(request.getTaskId())
            .setAttempt(request.getAttempt())
            .setStatus(TaskOutcome.SUCCEEDED)
            .setOutputs(outputs)
            .setWorkerId("w")
            .setStartedAt(START)
            .setFinishedAt(START)
            .build();
    results.pipeInput(request.getRunId(), new TaskReport(result));
  }

  void heartbeat(TaskRequest request) {
    results.pipeInput(
        request.getRunId(),
        new TaskReport(
            new TaskHeartbeat(
                request.getRunId(),
                request.getTaskId(),
                request.getAttempt(),
                "worker-1",
                START,
                START)));
  }

  static <T> T last(List<RunEvent> log, String runId, Class<T> kind) {
    return log.stream()
        .filter(e -> e.getRunId().equals(runId))
        .map(RunEvent::getEvent)
        .filter(kind::isInstance)
        .map(kind::cast)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " of " + runId));
  }
}

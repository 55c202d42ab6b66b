package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.api.Coordinator;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.registry.IncompatibleSchemaException;
import io.weft.schemas.registry.SchemaRegistryClient;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.testkit.CommittedRecords;
import io.weft.testkit.KafkaCluster;
import io.weft.testkit.KafkaTools;
import io.weft.testkit.WeftInstallation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schema evolution during a rolling upgrade: version 2 of the result and event schemas (a new field
 * with a default) is registered while components writing version 1 and components writing version 2
 * run side by side on the same topics. Every run completes and every record decodes with either
 * version; an incompatible version is refused by the registry before anything is written.
 *
 * <p>The "new" components are Weft's own, set to write with the subject's latest schema ({@code
 * auto.register.schemas=false}, {@code use.latest.version=true}): what a component built with a
 * newer schema does on the wire, where its records carry version 2's id and field.
 */
@ExtendWith({WeftStackExtension.class, ClusterExtension.class})
class RollingUpgradeIT {

  private static final String NEW_FIELD = "traceId";
  private static final Map<String, Object> WRITES_LATEST =
      Map.of("auto.register.schemas", "false", "use.latest.version", "true");

  private WeftInstallation kit;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldCompleteEveryRunWhileComponentsOfBothSchemaVersionsRunSideBySide(
      WeftStack stack, KafkaCluster cluster) throws Exception {
    // given: an installation at version 1 of every schema, with runs done
    kit =
        ClusterExtension.installation(stack, cluster, "upgrade")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(Map.of("worker.id", "old-worker"), "step");
    kit.client()
        .register(
            WorkflowDefinition.builder("chain", 1)
                .task(TaskDefinition.builder("a", "step"))
                .task(TaskDefinition.builder("b", "step").dependsOn("a"))
                .task(TaskDefinition.builder("c", "step").dependsOn("b"))
                .build());
    List<String> runs = new ArrayList<>(startAndAwait("chain", 10));
    SchemaRegistryClient registry = SchemaRegistryClient.create(kit.schemaRegistryUrl());
    String results = kit.topics().results() + "-value";
    String events = kit.topics().events() + "-value";
    int resultsV1 = registry.lookup(results, TaskReport.getClassSchema()).id();
    int eventsV1 = registry.lookup(events, RunEvent.getClassSchema()).id();

    // when: version 2 of both schemas is registered, and a worker and a coordinator instance that
    // write it join the old ones
    Schema resultsSchema2 = withField(TaskReport.getClassSchema(), true);
    Schema eventsSchema2 = withField(RunEvent.getClassSchema(), true);
    int resultsV2 = registry.register(results, resultsSchema2);
    int eventsV2 = registry.register(events, eventsSchema2);
    kit.startWorker(withLatest(Map.of("worker.id", "new-worker")), "step");
    Map<String, Object> newCoordinator = kit.coordinatorSettings();
    newCoordinator.putAll(WRITES_LATEST);
    newCoordinator.put("state.dir", kit.dir().resolve("new-coordinator-state").toString());
    kit.closeWith(Coordinator.start(newCoordinator));
    kit.awaitCoordinatorInstances(2);
    kit.awaitStableGroup("step", 2);
    runs.addAll(startAndAwait("chain", 30));

    // then: both versions were written to both topics, by old and new components
    List<ConsumerRecord<String, byte[]>> eventRecords = raw(kit.topics().events());
    List<ConsumerRecord<String, byte[]>> resultRecords = raw(kit.topics().results());
    assertThat(schemaIds(eventRecords)).containsExactlyInAnyOrder(eventsV1, eventsV2);
    assertThat(schemaIds(resultRecords)).containsExactlyInAnyOrder(resultsV1, resultsV2);
    // and: every record decodes with version 1 (the generated classes) and with version 2
    assertDecodesWithBoth(
        eventRecords,
        RunEvent.class,
        eventsSchema2,
        RunEvent::getRunId,
        event -> event.get("runId").toString());
    assertDecodesWithBoth(
        resultRecords,
        TaskReport.class,
        resultsSchema2,
        report -> runIdOf(report.getReport()),
        report -> ((GenericRecord) report.get("report")).get("runId").toString());
    // and: every run, of either time, succeeded
    Set<String> succeeded =
        kit.eventLog().events().stream()
            .filter(e -> e.getEvent() instanceof RunSucceeded)
            .map(RunEvent::getRunId)
            .collect(Collectors.toSet());
    assertThat(succeeded).containsExactlyInAnyOrderElementsOf(runs);
  }

  @Test
  void shouldRefuseAnIncompatibleSchemaBeforeAnythingIsWritten(
      WeftStack stack, KafkaCluster cluster) throws Exception {
    // given: an installation whose results subject holds version 1
    kit =
        ClusterExtension.installation(stack, cluster, "incompatible")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    kit.startWorker(Map.of(), "step");
    kit.client()
        .register(
            WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("a", "step")).build());
    startAndAwait("one", 1);
    SchemaRegistryClient registry = SchemaRegistryClient.create(kit.schemaRegistryUrl());
    String topic = kit.topics().results();
    String subject = topic + "-value";
    Schema incompatible = withField(TaskReport.getClassSchema(), false);
    long endBefore = endOffsets(topic);
    assertThat(endBefore).as("the results of the run so far").isPositive();

    // when / then: registering a new required field (no default) is refused, naming the subject
    assertThatThrownBy(() -> registry.register(subject, incompatible))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining(subject)
        .hasMessageContaining("409");
    // and: a producer writing it fails at send, before a byte reaches the topic
    GenericRecord report = new GenericData.Record(incompatible);
    report.put(
        "report", new TaskHeartbeat("run", "task", 1, "worker", Instant.now(), Instant.now()));
    report.put(NEW_FIELD, "abc");
    try (KafkaProducer<String, GenericRecord> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kit.bootstrapServers()),
            new StringSerializer(),
            new AvroSerializer<>(Map.of("schema.registry.url", kit.schemaRegistryUrl()), false))) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "run", report)).get())
          .isInstanceOfAny(SerializationException.class, ExecutionException.class)
          .hasMessageContaining("topic '" + topic + "'")
          .hasMessageContaining("409");
    }
    assertThat(registry.versions(subject)).containsExactly(1);
    assertThat(endOffsets(topic)).isEqualTo(endBefore);
  }

  private List<String> startAndAwait(String workflow, int count) {
    List<String> started =
        IntStream.range(0, count).mapToObj(i -> kit.client().startRun(workflow, Map.of())).toList();
    for (String runId : started) {
      assertThat(kit.client().awaitCompletion(runId, Duration.ofSeconds(60)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
    return started;
  }

  private static Map<String, Object> withLatest(Map<String, Object> settings) {
    Map<String, Object> all = new HashMap<>(settings);
    all.putAll(WRITES_LATEST);
    return all;
  }

  /** {@code schema} with one more field: optional with a default (compatible), or required. */
  private static Schema withField(Schema schema, boolean withDefault) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(
        withDefault
            ? new Schema.Field(
                NEW_FIELD,
                Schema.createUnion(
                    Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "Id of the trace the record belongs to.",
                JsonProperties.NULL_VALUE)
            : new Schema.Field(
                NEW_FIELD, Schema.create(Schema.Type.STRING), "Required, with no default."));
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  /**
   * Each record decodes with the generated class ({@code v1}) and with {@code v2}, which gives the
   * new field its default, and both readers see the same run.
   */
  private <T> void assertDecodesWithBoth(
      List<ConsumerRecord<String, byte[]>> records,
      Class<T> v1,
      Schema v2,
      Function<T, String> runIdV1,
      Function<GenericRecord, String> runIdV2) {
    Map<String, String> registry = Map.of("schema.registry.url", kit.schemaRegistryUrl());
    AvroDeserializer<T> oldReader = new AvroDeserializer<>(v1, registry);
    AvroDeserializer<GenericRecord> newReader = new AvroDeserializer<>(v2, registry);
    assertThat(records)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              T old = oldReader.deserialize(r.topic(), r.value());
              GenericRecord current = newReader.deserialize(r.topic(), r.value());
              assertThat(current.get(NEW_FIELD)).isNull();
              assertThat(runIdV2.apply(current)).isEqualTo(runIdV1.apply(old));
            });
  }

  private static String runIdOf(Object report) {
    if (report instanceof TaskResult result) {
      return result.getRunId();
    }
    if (report instanceof TaskHeartbeat heartbeat) {
      return heartbeat.getRunId();
    }
    return ((TaskProgress) report).getRunId();
  }

  private static Set<Integer> schemaIds(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream()
        .map(r -> ByteBuffer.wrap(r.value(), 1, 4).getInt())
        .collect(Collectors.toSet());
  }

  private List<ConsumerRecord<String, byte[]>> raw(String topic) {
    try (CommittedRecords<byte[]> reader =
        new CommittedRecords<>(
            kit.bootstrapServers(), topic, new ByteArrayDeserializer(), Duration.ofSeconds(30))) {
      return reader.readToEnd();
    }
  }

  /** The sum of {@code topic}'s end offsets, as {@code kafka-get-offsets --time -1} prints them. */
  private long endOffsets(String topic) {
    return KafkaTools.getOffsets(kit.bootstrapServers(), "--topic", topic, "--time", "-1")
        .lines()
        .filter(line -> line.startsWith(topic + ":"))
        .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(':') + 1)))
        .sum();
  }
}

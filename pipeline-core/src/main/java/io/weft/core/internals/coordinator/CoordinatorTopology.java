package io.weft.core.internals.coordinator;

import io.weft.core.api.Resources;
import io.weft.core.api.WeftTopics;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.schedules.ScheduleProcessor;
import io.weft.core.internals.schedules.ScheduleStores;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.serde.AvroSerde;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.schemas.tasks.TaskRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The coordinator's whole Kafka Streams topology, in one place.
 *
 * <pre>
 *  commands ─┐                       ┌─► events-sink        → weft.events
 *            ├─► run-processor ──────┼─► cancellations-sink → weft.cancellations
 *  results ──┘   (runs, timers)      ├─► tasks-sink         → weft.tasks.&lt;type&gt;
 *                 ▲                  └─► dlq-sink           → weft.dlq
 *  definitions ─► global store "definitions"
 *
 *  schedules ──► schedule-processor ─► scheduled-commands-sink → weft.commands
 *                (schedules, schedule-ticks; fires due ticks on a wall-clock punctuator)
 * </pre>
 *
 * <p>An input found on another partition than its run's goes back to its own topic, on its run's
 * partition (reroute-sink).
 */
public final class CoordinatorTopology {

  public static final String COMMANDS_SOURCE = "commands-source";
  public static final String RESULTS_SOURCE = "results-source";
  public static final String DEFINITIONS_SOURCE = "definitions-source";
  public static final String DEFINITIONS_UPDATER = "definitions-updater";
  public static final String RUN_PROCESSOR = "run-processor";
  public static final String EVENTS_SINK = "events-sink";
  public static final String CANCELLATIONS_SINK = "cancellations-sink";
  public static final String TASKS_SINK = "tasks-sink";
  public static final String DLQ_SINK = "dlq-sink";
  public static final String REROUTE_SINK = "reroute-sink";
  public static final String SCHEDULES_SOURCE = "schedules-source";
  public static final String SCHEDULE_PROCESSOR = "schedule-processor";
  public static final String SCHEDULED_COMMANDS_SINK = "scheduled-commands-sink";
  public static final String SCHEDULES_DLQ_SINK = "schedules-dlq-sink";

  /** Run state by run id. */
  public static final String RUNS_STORE = "runs";

  /** The state of each forEach child, by {@code <runId>\t<childId>} (see {@link RunRecords}). */
  public static final String CHILDREN_STORE = "run-children";

  /** Each run's parameters, by run id (see {@link RunRecords}). */
  public static final String PARAMS_STORE = "run-params";

  /** Runs by status and start time, newest first (see {@link RunRecords}). */
  public static final String INDEX_STORE = "runs-by-start";

  /** Timers, ordered by due time (see {@link Timer#key()}). */
  public static final String TIMERS_STORE = "timers";

  /** Registered definitions by {@code name:version} (global). */
  public static final String DEFINITIONS_STORE = "definitions";

  private CoordinatorTopology() {}

  /**
   * Builds the topology.
   *
   * @param serdeConfig the schema registry settings of the Avro serdes
   */
  public static Topology build(
      WeftTopics topics,
      Map<String, ?> serdeConfig,
      RunEngine engine,
      ProcessingSettings settings,
      CoordinatorMetrics metrics) {
    var runStateSerde =
        new BoundedStateSerde(
            AvroSerde.forValues(RunState.class, serdeConfig), settings.maxRecordBytes());
    var definitionSerde = WeftTopics.DEFINITIONS.valueSerde(serdeConfig);
    Topology topology = new Topology();
    Map<String, WorkflowDefinition> converted = new ConcurrentHashMap<>();

    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEFINITIONS_STORE), Serdes.String(), definitionSerde)
            .withLoggingDisabled(),
        DEFINITIONS_SOURCE,
        new StringDeserializer(),
        definitionSerde.deserializer(),
        topics.definitions(),
        DEFINITIONS_UPDATER,
        () -> new DefinitionsUpdater(converted));

    topology.addSource(
        COMMANDS_SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        topics.commands());
    topology.addSource(
        RESULTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.results());
    topology.addProcessor(
        RUN_PROCESSOR,
        () ->
            new RunProcessor(
                engine,
                WeftTopics.COMMANDS.deserializer(serdeConfig),
                WeftTopics.RESULTS.deserializer(serdeConfig),
                topics.commands(),
                settings,
                metrics,
                converted),
        COMMANDS_SOURCE,
        RESULTS_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(RUNS_STORE), Serdes.String(), runStateSerde),
        RUN_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CHILDREN_STORE),
            Serdes.String(),
            AvroSerde.forValues(TaskState.class, serdeConfig)),
        RUN_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PARAMS_STORE), Serdes.String(), Serdes.String()),
        RUN_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(INDEX_STORE), Serdes.String(), Serdes.String()),
        RUN_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TIMERS_STORE), Serdes.String(), Serdes.String()),
        RUN_PROCESSOR);

    topology.addSink(
        EVENTS_SINK, topics.events(), new StringSerializer(), avro(serdeConfig), RUN_PROCESSOR);
    topology.addSink(
        CANCELLATIONS_SINK,
        topics.cancellations(),
        new StringSerializer(),
        avro(serdeConfig),
        RUN_PROCESSOR);
    topology.addSink(
        TASKS_SINK,
        (key, value, context) -> topics.tasks(poolOf((TaskRequest) value)),
        new StringSerializer(),
        avro(serdeConfig),
        new TaskPartitioner(),
        RUN_PROCESSOR);
    topology.addSink(
        REROUTE_SINK,
        (key, value, context) -> context.topic(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        new RunPartitioner(),
        RUN_PROCESSOR);
    topology.addSink(
        DLQ_SINK,
        topics.deadLetters(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        RUN_PROCESSOR);
    addSchedules(topology, topics, serdeConfig, settings);
    return topology;
  }

  /**
   * Schedules: read from their compacted topic (one partition), fired by a wall-clock punctuator as
   * commands, which the run processor reads like any other. A sub-topology of its own (no node
   * shared with the runs'), so its stores have the one partition of the schedules topic.
   */
  private static void addSchedules(
      Topology topology,
      WeftTopics topics,
      Map<String, ?> serdeConfig,
      ProcessingSettings settings) {
    topology.addSource(
        SCHEDULES_SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        topics.schedules());
    topology.addProcessor(
        SCHEDULE_PROCESSOR,
        () ->
            new ScheduleProcessor(
                WeftTopics.SCHEDULES.deserializer(serdeConfig),
                settings.timerInterval(),
                SCHEDULED_COMMANDS_SINK,
                SCHEDULES_DLQ_SINK),
        SCHEDULES_SOURCE);
    topology.addStateStore(ScheduleStores.schedules(serdeConfig), SCHEDULE_PROCESSOR);
    topology.addStateStore(ScheduleStores.ticks(), SCHEDULE_PROCESSOR);
    topology.addSink(
        SCHEDULED_COMMANDS_SINK,
        topics.commands(),
        new StringSerializer(),
        avro(serdeConfig),
        SCHEDULE_PROCESSOR);
    topology.addSink(
        SCHEDULES_DLQ_SINK,
        topics.deadLetters(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        SCHEDULE_PROCESSOR);
  }

  @SuppressWarnings("unchecked")
  private static <T> Serializer<T> avro(Map<String, ?> serdeConfig) {
    return (Serializer<T>) new AvroSerializer<>(serdeConfig, false);
  }

  /** The run-event serde, for readers of the events topic. */
  public static org.apache.kafka.common.serialization.Serde<RunEvent> eventSerde(
      Map<String, ?> serdeConfig) {
    return WeftTopics.EVENTS.valueSerde(serdeConfig);
  }

  /** A request that needs a GPU goes to its type's GPU pool, served by workers with GPUs. */
  static String poolOf(TaskRequest request) {
    return WeftTopics.pool(request.getType(), Resources.of(request.getResources()).needsGpu());
  }
}

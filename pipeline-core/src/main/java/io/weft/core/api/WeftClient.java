package io.weft.core.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.common.WeftException;
import io.weft.core.internals.client.RunFollower;
import io.weft.core.internals.client.TopicSnapshot;
import io.weft.core.internals.config.PassThrough;
import io.weft.core.internals.definition.DefinitionCodec;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.commands.CancelRun;
import io.weft.schemas.commands.PauseRun;
import io.weft.schemas.commands.ResumeRun;
import io.weft.schemas.commands.RetryRun;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import io.weft.schemas.schedules.Schedule;
import io.weft.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;

/**
 * Weft's client: registers workflows, starts, cancels and retries runs, and reads their status and
 * events; also a front to the {@link ModelRegistry}. Thread-safe; close it when done.
 */
public final class WeftClient implements AutoCloseable {

  /** What {@link #register} did. */
  public enum Registration {
    /** The definition is new and was written. */
    REGISTERED,
    /** The same content was registered under that version already; nothing was written. */
    UNCHANGED
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClientConfig config;
  private final Map<String, ?> settings;
  private final WeftTopics topics;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final QueryApiClient queryApi;
  private final Duration timeout;
  private final Time time;
  private ModelRegistry models;

  private WeftClient(ClientConfig config, Map<String, ?> settings, Time time) {
    this.config = config;
    this.time = time;
    this.settings = settings;
    this.topics = config.topics();
    this.timeout = Duration.ofMillis(config.getInt(ClientConfig.REQUEST_TIMEOUT_MS_CONFIG));
    this.queryApi = QueryApiClient.create(config, timeout, time);
    Map<String, Object> props = clientProps("producer.");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    this.producer =
        new KafkaProducer<>(
            props, new StringSerializer(), new AvroSerializer<>(config.serdeConfig(), false));
  }

  public static WeftClient create(Map<String, ?> settings) {
    return create(settings, Time.SYSTEM);
  }

  /**
   * A client whose waits ({@link #awaitCompletion}, {@link #awaitAccepted}, registration) and
   * timestamps read {@code time}: {@link Time#SYSTEM}, or a mock time in tests.
   */
  public static WeftClient create(Map<String, ?> settings, Time time) {
    GeneratedClasses.trust();
    return new WeftClient(new ClientConfig(settings), settings, time);
  }

  /**
   * Validates and registers a definition: its task types must be declared by workers, and a
   * version, once registered, never changes.
   *
   * @throws InvalidDefinitionException naming every problem; nothing is written then
   */
  public Registration register(WorkflowDefinition definition) {
    WorkflowValidator.withKnownTypes(taskTypes()).validate(definition);
    WorkflowDef existing = definitions().get(definition.key());
    if (existing != null) {
      if (DefinitionCodec.fromAvro(existing).equals(definition)) {
        awaitCoordinatorKnows(definition.key());
        return Registration.UNCHANGED;
      }
      throw new InvalidDefinitionException(
          "'" + definition.name() + "' version " + definition.version(),
          List.of(
              new DefinitionProblem(
                  "workflow",
                  "version "
                      + definition.version()
                      + " is already registered with different content; a registered version never changes, so register this as a new version")));
    }
    try (Admin admin = Admin.create(clientProps("admin."))) {
      config
          .topicAdmin(admin)
          .ensureTaskTopics(
              definition.tasks().stream()
                  .map(task -> WeftTopics.pool(task.type(), task.resources().needsGpu()))
                  .distinct()
                  .toList());
    }
    send(topics.definitions(), definition.key(), DefinitionCodec.toAvro(definition, now()));
    awaitCoordinatorKnows(definition.key());
    return Registration.REGISTERED;
  }

  /**
   * Waits until the coordinator has read a registered definition, so that a run started right after
   * registration finds it. Skipped when no query URL is configured.
   */
  private void awaitCoordinatorKnows(String key) {
    if (!hasQueryApi()) {
      return;
    }
    queryApi.awaitDefinition(key);
  }

  /** The task types workers have declared. */
  public Set<String> taskTypes() {
    return TopicSnapshot.read(
            consumerProps(),
            topics.taskTypes(),
            WeftTopics.TASK_TYPES.deserializer(config.serdeConfig()),
            timeout)
        .keySet();
  }

  /** The registered definitions, by {@code name:version}. */
  public Map<String, WorkflowDef> definitions() {
    return TopicSnapshot.read(
        consumerProps(),
        topics.definitions(),
        WeftTopics.DEFINITIONS.deserializer(config.serdeConfig()),
        timeout);
  }

  /** Starts a run of the latest version of {@code workflow}; returns its run id. */
  public String startRun(String workflow, Map<String, ?> params) {
    return startRun(workflow, null, params, null);
  }

  /**
   * Starts a run; returns its run id.
   *
   * @param version null for the latest registered version
   * @param runKey optional: starting again with the same workflow and key starts nothing new and
   *     returns the same run id
   */
  public String startRun(String workflow, Integer version, Map<String, ?> params, String runKey) {
    String runId = runKey == null ? UUID.randomUUID().toString() : RunKeys.runId(workflow, runKey);
    Map<String, String> json = new LinkedHashMap<>();
    params.forEach((k, v) -> json.put(k, JSON.valueToTree(v).toString()));
    send(
        topics.commands(),
        runId,
        new RunCommand(new StartRun(runId, runKey, workflow, version, json, now())));
    return runId;
  }

  public void cancel(String runId, String reason) {
    send(topics.commands(), runId, new RunCommand(new CancelRun(runId, reason, now())));
  }

  /**
   * Pauses a running run: it dispatches nothing new until {@link #resume}; tasks already dispatched
   * run to their end and their results are kept. A run that is not running ignores it.
   */
  public void pause(String runId, String reason) {
    send(topics.commands(), runId, new RunCommand(new PauseRun(runId, reason, now())));
  }

  /** Resumes a paused run: what became ready or due while it was paused is dispatched now. */
  public void resume(String runId) {
    send(topics.commands(), runId, new RunCommand(new ResumeRun(runId, now())));
  }

  /** Re-runs the failed and not-yet-run tasks of a failed run. */
  public void retry(String runId) {
    send(topics.commands(), runId, new RunCommand(new RetryRun(runId, now())));
  }

  /** Whether a coordinator query URL is configured: {@link #status} and the waits need one. */
  public boolean hasQueryApi() {
    return !config.getList(ClientConfig.QUERY_URL_CONFIG).isEmpty();
  }

  /** The run as the coordinator sees it, or empty if it does not know it (yet). */
  public Optional<RunView> status(String runId) {
    return queryApi.status(runId, timeout);
  }

  /** Runs, optionally only those with the given status. */
  public List<RunView> runs(RunView.Status status, int limit) {
    return queryApi.runs(status, limit);
  }

  /**
   * Waits until the coordinator knows the run, which it does once it has taken the run's start
   * command off the commands topic: from then on {@link #status} finds it.
   *
   * @throws WeftException if the coordinator has not taken it within {@code timeout} (the run stays
   *     queued and starts when a coordinator runs), or at once if no query URL is configured
   */
  public RunView awaitAccepted(String runId, Duration timeout) {
    if (!hasQueryApi()) {
      throw new WeftException(
          "No coordinator query URL configured (" + ClientConfig.QUERY_URL_CONFIG + ")");
    }
    QueryApiClient.Answer last = queryApi.awaitRun(runId, timeout, run -> true);
    return last.run()
        .orElseThrow(
            () ->
                new WeftException(
                    "Run "
                        + runId
                        + " is queued, but no coordinator reported it within "
                        + timeout
                        + (last.error() == null ? "" : " (" + last.error().getMessage() + ")"),
                    last.error()));
  }

  /**
   * Waits until the run has finished (succeeded, failed or was cancelled).
   *
   * @throws WeftException if it has not finished within {@code timeout}
   */
  public RunView awaitCompletion(String runId, Duration timeout) {
    QueryApiClient.Answer last = queryApi.awaitRun(runId, timeout, RunView::isFinished);
    if (last.run().isPresent() && last.run().get().isFinished()) {
      return last.run().get();
    }
    String state =
        last.error() != null
            ? "; the coordinator did not answer (" + last.error().getMessage() + ")"
            : last.run()
                .map(r -> "; it is " + r.status())
                .orElse("; the coordinator does not know it");
    throw new WeftException("Run " + runId + " did not finish within " + timeout + state);
  }

  /**
   * Calls {@code listener} with every event of the run, from its first, on a background thread,
   * until the returned handle is closed.
   */
  public AutoCloseable follow(String runId, Consumer<RunEvent> listener) {
    return RunFollower.start(
        consumerProps(),
        topics.events(),
        runId,
        WeftTopics.EVENTS.deserializer(config.serdeConfig()),
        listener);
  }

  /**
   * Rebuilds the lost state of the stopped coordinator {@code applicationId} from the event log
   * (see {@link Recovery}); every instance of it must be stopped.
   */
  public Recovery.Report recover(String applicationId, Map<String, ?> coordinatorSettings) {
    Map<String, Object> settings = new HashMap<>(coordinatorSettings);
    settings.putIfAbsent(CoordinatorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    settings.putIfAbsent(
        CoordinatorConfig.SCHEMA_REGISTRY_URL_CONFIG,
        String.join(",", config.getList(ClientConfig.SCHEMA_REGISTRY_URL_CONFIG)));
    settings.putIfAbsent(CoordinatorConfig.TOPIC_PREFIX_CONFIG, topics.prefix());
    settings.put(CoordinatorConfig.APPLICATION_ID_CONFIG, applicationId);
    settings.putAll(PassThrough.security(this.settings));
    settings.putAll(ConnectionSettings.serdeConfig(this.settings));
    return Recovery.rebuild(settings);
  }

  public WeftTopics topics() {
    return topics;
  }

  /**
   * The model registry, with this client's settings; created on first use and closed with the
   * client.
   */
  public synchronized ModelRegistry modelRegistry() {
    if (models == null) {
      models = ModelRegistry.create(settings);
    }
    return models;
  }

  /** Registers the next version of a model; see {@link ModelRegistry#register}. */
  public ModelVersion registerModel(
      String name,
      ArtifactRef artifact,
      Map<String, Double> metrics,
      Map<String, String> properties,
      String sourceRunId,
      String sourceTaskId) {
    return modelRegistry().register(name, artifact, metrics, properties, sourceRunId, sourceTaskId);
  }

  /** Names of the registered models, sorted; see {@link ModelRegistry#models}. */
  public Set<String> models() {
    return modelRegistry().models();
  }

  /** The versions of a model, ascending; see {@link ModelRegistry#versions}. */
  public List<ModelVersion> modelVersions(String name) {
    return modelRegistry().versions(name);
  }

  /** The production version of a model, if any; see {@link ModelRegistry#production}. */
  public Optional<ModelVersion> production(String name) {
    return modelRegistry().production(name);
  }

  /** Points a model's {@code production} alias at a version; see {@link ModelRegistry#promote}. */
  public Promotion promoteModel(String name, int version, String metric, boolean higherIsBetter) {
    return modelRegistry().promote(name, version, metric, higherIsBetter);
  }

  /** Moves a model's {@code production} alias back; see {@link ModelRegistry#rollback}. */
  public ModelAliasChanged rollbackModel(String name) {
    return modelRegistry().rollback(name);
  }

  /** Schedules: workflows started on cron expressions, fired by the coordinator. */
  public Schedules schedules() {
    return new Schedules(this);
  }

  /** The schedules on their topic, by name. */
  Map<String, Schedule> readSchedules() {
    return TopicSnapshot.read(
        consumerProps(),
        topics.schedules(),
        WeftTopics.SCHEDULES.deserializer(config.serdeConfig()),
        timeout);
  }

  /** Writes {@code value} (null: a tombstone) and waits for the broker's acknowledgement. */
  void send(String topic, String key, SpecificRecord value) {
    try {
      producer
          .send(new ProducerRecord<>(topic, key, value))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new WeftException(
          "Cannot write to " + topic + " at " + bootstrap() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new WeftException(
          "Writing to " + topic + " at " + bootstrap() + " timed out after " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while writing to " + topic, e);
    }
  }

  private Map<String, Object> clientProps(String prefix) {
    Map<String, Object> props = new HashMap<>(PassThrough.security(settings));
    props.put("bootstrap.servers", bootstrap());
    props.putAll(PassThrough.withPrefix(settings, prefix));
    return props;
  }

  private Map<String, Object> consumerProps() {
    return clientProps("consumer.");
  }

  private String bootstrap() {
    return String.join(",", config.getList(ClientConfig.BOOTSTRAP_SERVERS_CONFIG));
  }

  Instant now() {
    return Instant.ofEpochMilli(time.milliseconds());
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(10));
    } finally {
      synchronized (this) {
        if (models != null) {
          models.close();
          models = null;
        }
      }
    }
  }
}

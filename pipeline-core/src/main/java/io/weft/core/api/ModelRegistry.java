package io.weft.core.api;

import io.weft.core.internals.config.PassThrough;
import io.weft.core.internals.models.AliasFollower;
import io.weft.core.internals.models.RegistryDecisions;
import io.weft.core.internals.models.RegistryDecisions.Registration;
import io.weft.core.internals.models.RegistryLog;
import io.weft.core.internals.models.RegistryView;
import io.weft.core.internals.models.RegistryWriter;
import io.weft.core.internals.models.RegistryWriter.Decision;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import io.weft.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;

/**
 * The model registry: numbered versions of named models, and a {@code production} alias moved by
 * promotion (optionally champion/challenger on a metric) and rollback. Its state lives on two
 * compacted topics of one partition each, {@link WeftTopics#modelVersions()} (key {@code
 * name:version}, value {@link ModelVersion}) and {@link WeftTopics#modelAliases()} (key {@code
 * name:alias}, value {@link ModelAliasChanged}), created on first use if missing.
 *
 * <p><b>Reads</b> see every write committed before the call began, from any process: each read
 * first catches up with both topics (read_committed) to their end as of that moment.
 *
 * <p><b>Writes</b> ({@link #register}, {@link #promote}, {@link #rollback}) never race, whichever
 * processes make them: each takes the model's lock, a transactional producer whose {@code
 * transactional.id} is {@code <prefix>models.<name>}. Its {@code initTransactions} fences every
 * other writer of that model and aborts its open transaction; the writer then reads both topics to
 * their end, decides (the next version number, the alias's new state and history), writes and
 * commits. A writer fenced meanwhile by another tries again from the start (at most 20 times, with
 * a random backoff), so version numbers are consecutive without gaps or duplicates and an alias
 * never moves from a stale state. Writers of different models do not wait for each other.
 *
 * <p>Thread-safe; close it when done. Accepts the same settings as {@link WeftClient} ({@link
 * ClientConfig}).
 */
public final class ModelRegistry implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final Map<String, ?> settings;
  private final ClientConfig config;
  private final WeftTopics topics;
  private final Admin admin;
  private final RegistryLog registryLog;
  private final RegistryWriter writer;
  private final List<AliasFollower> followers = new ArrayList<>();

  private ModelRegistry(Map<String, ?> settings, ClientConfig config) {
    this.settings = settings;
    this.config = config;
    this.topics = config.topics();
    Duration timeout = Duration.ofMillis(config.getInt(ClientConfig.REQUEST_TIMEOUT_MS_CONFIG));
    this.admin = Admin.create(clientProps("admin."));
    try {
      ensureTopics();
      this.registryLog =
          new RegistryLog(
              clientProps("consumer."),
              admin,
              topics,
              WeftTopics.MODEL_VERSIONS.deserializer(config.serdeConfig()),
              WeftTopics.MODEL_ALIASES.deserializer(config.serdeConfig()),
              timeout);
    } catch (RuntimeException e) {
      admin.close();
      throw e;
    }
    this.writer =
        new RegistryWriter(
            clientProps("producer."),
            topics,
            registryLog,
            new AvroSerializer<>(config.serdeConfig(), false),
            new AvroSerializer<>(config.serdeConfig(), false),
            timeout);
  }

  /**
   * A registry client with the same connection settings as {@link WeftClient} ({@code
   * bootstrap.servers}, {@code schema.registry.url}, {@code weft.topic.prefix}, SASL/SSL pass
   * through, {@code basic.auth.*}); creates the registry's topics if they are missing.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming an unknown or invalid key
   * @throws ModelRegistryException if a registry topic exists with more than one partition
   */
  public static ModelRegistry create(Map<String, ?> settings) {
    GeneratedClasses.trust();
    return new ModelRegistry(settings, new ClientConfig(settings));
  }

  /**
   * Registers the next version (1, 2, ...) of model {@code name}. Idempotent: registering again
   * with the same {@code (sourceRunId, sourceTaskId)} (either non-null) returns the version
   * registered then, unchanged, instead of a new one; when both are null, every call registers a
   * new version.
   *
   * @param name {@code [A-Za-z0-9._-]+}
   * @param metrics e.g. test accuracy, for champion/challenger promotion; may be empty
   * @param properties what a server needs to load the model; may be empty
   */
  public ModelVersion register(
      String name,
      ArtifactRef artifact,
      Map<String, Double> metrics,
      Map<String, String> properties,
      String sourceRunId,
      String sourceTaskId) {
    checkName(name);
    Objects.requireNonNull(artifact, "artifact");
    Map<String, Double> checkedMetrics = metrics == null ? Map.of() : metrics;
    checkedMetrics.forEach(
        (metric, value) -> {
          if (value == null || !Double.isFinite(value)) {
            throw new IllegalArgumentException(
                "metric '" + metric + "' of model '" + name + "' is " + value + ", not finite");
          }
        });
    Map<String, String> checkedProperties = properties == null ? Map.of() : properties;
    return writer.write(
        name,
        view -> {
          Registration registration =
              RegistryDecisions.register(
                  view,
                  name,
                  artifact,
                  checkedMetrics,
                  checkedProperties,
                  sourceRunId,
                  sourceTaskId,
                  now());
          return new Decision<>(
              registration.version(),
              registration.isNew() ? List.of(registration.version()) : List.of());
        });
  }

  /** Names of the registered models, sorted. */
  public Set<String> models() {
    return registryLog.read(RegistryView::models);
  }

  /** The versions of {@code name}, ascending by version; empty if it is unknown. */
  public List<ModelVersion> versions(String name) {
    return registryLog.read(view -> view.versions(name));
  }

  public Optional<ModelVersion> version(String name, int version) {
    return registryLog.read(view -> view.version(name, version));
  }

  /** The current state of one alias of a model, e.g. {@code production}. */
  public Optional<ModelAliasChanged> alias(String name, String alias) {
    return registryLog.read(view -> view.alias(name, alias));
  }

  /** The version {@code production} points at, if any. */
  public Optional<ModelVersion> production(String name) {
    return registryLog.read(
        view ->
            view.alias(name, RegistryDecisions.PRODUCTION)
                .flatMap(alias -> view.version(name, alias.getVersion())));
  }

  /**
   * Points {@code production} at {@code version}. If {@code metric} is not null and a production
   * version exists, promotes only if the candidate's {@code metrics[metric]} beats the champion's
   * (strictly greater when {@code higherIsBetter}, strictly less otherwise); the {@link Promotion}
   * says why not otherwise. Promoting the version already in production changes nothing ({@code
   * promoted=false}, reason {@code already production}). A promotion appends the version it
   * replaces to the alias's history, for {@link #rollback}.
   *
   * @throws ModelNotFoundException if the model or version is unknown
   * @throws ModelRegistryException if the candidate or the champion lacks {@code metric}
   */
  public Promotion promote(String name, int version, String metric, boolean higherIsBetter) {
    checkName(name);
    return writer.write(
        name,
        view -> {
          Promotion promotion =
              RegistryDecisions.promote(view, name, version, metric, higherIsBetter, now());
          return new Decision<>(
              promotion, promotion.promoted() ? List.of(promotion.change()) : List.of());
        });
  }

  /**
   * Moves {@code production} back to the version it pointed at before (the last of its history),
   * recording change {@code ROLLBACK}; rolling back again goes one further back.
   *
   * @throws ModelNotFoundException if the model is unknown
   * @throws ModelRegistryException if there is no earlier production version
   */
  public ModelAliasChanged rollback(String name) {
    checkName(name);
    return writer.write(
        name,
        view -> {
          ModelAliasChanged change = RegistryDecisions.rollback(view, name, now());
          return new Decision<>(change, List.of(change));
        });
  }

  /**
   * Calls {@code listener} with the current record of every alias first, then with each new one as
   * it is committed, from a background thread, until the returned handle (or this registry) is
   * closed. A listener that throws is logged and called again for the next record.
   */
  public AutoCloseable followAliases(Consumer<ModelAliasChanged> listener) {
    Objects.requireNonNull(listener, "listener");
    AliasFollower follower =
        AliasFollower.start(
            clientProps("consumer."),
            topics.modelAliases(),
            WeftTopics.MODEL_ALIASES.deserializer(config.serdeConfig()),
            listener);
    synchronized (followers) {
      followers.add(follower);
    }
    return follower;
  }

  public WeftTopics topics() {
    return topics;
  }

  private void ensureTopics() {
    config.topicAdmin(admin).ensureModels();
  }

  /**
   * Checks a model name before anything is written for it (e.g. its file stored as an artifact).
   *
   * @throws IllegalArgumentException saying what a name may hold, unless {@code name} matches
   *     {@code [A-Za-z0-9._-]+}, at most 200 characters
   */
  public static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Model name '" + name + "' must match [A-Za-z0-9._-]+, at most 200 characters");
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private Map<String, Object> clientProps(String prefix) {
    Map<String, Object> props = new HashMap<>(PassThrough.security(settings));
    props.put("bootstrap.servers", String.join(",", config.getList("bootstrap.servers")));
    props.putAll(PassThrough.withPrefix(settings, prefix));
    return props;
  }

  /** Stops the followers and closes the clients. */
  @Override
  public void close() {
    synchronized (followers) {
      followers.forEach(AliasFollower::close);
      followers.clear();
    }
    registryLog.close();
    admin.close(Duration.ofSeconds(5));
  }
}

package io.weft.core.api;

import io.weft.core.api.TopicSpec.Partitioning;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.schedules.Schedule;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.schemas.tasks.TaskTypeDeclared;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The catalogue of every topic Weft uses: each topic once, as a {@link TopicSpec} (key, value type,
 * partitioning, configs), and its name under one configurable prefix ({@code weft.} by default).
 * {@link TopicAdmin} creates and checks them. Immutable.
 *
 * <p>Commands, results and events are keyed by run id and have the same partition count, so that
 * everything about one run meets in one partition of the coordinator.
 */
public final class WeftTopics {

  public static final String DEFAULT_PREFIX = "weft.";

  private static final String RUN_ID = "run id";
  private static final long DAY_MS = 24L * 3600 * 1000;

  /** Registered workflow definitions; compacted, a version never changes. */
  public static final TopicSpec<WorkflowDef> DEFINITIONS =
      new TopicSpec<>(
          "definitions",
          WorkflowDef.class,
          Partitioning.SHARED,
          Map.of("cleanup.policy", "compact"),
          "name:version");

  /** Run commands ({@code StartRun}, {@code CancelRun}, {@code RetryRun}). */
  public static final TopicSpec<RunCommand> COMMANDS =
      new TopicSpec<>("commands", RunCommand.class, Partitioning.RUN_KEYED, Map.of(), RUN_ID);

  /** Workers' reports: results, heartbeats, progress. */
  public static final TopicSpec<TaskReport> RESULTS =
      new TopicSpec<>("results", TaskReport.class, Partitioning.RUN_KEYED, Map.of(), RUN_ID);

  /**
   * The audit log of every run; kept forever unless the coordinator's {@code
   * weft.events.retention.ms} says otherwise (recovery rebuilds state from it).
   */
  public static final TopicSpec<RunEvent> EVENTS =
      new TopicSpec<>(
          "events", RunEvent.class, Partitioning.RUN_KEYED, Map.of("retention.ms", "-1"), RUN_ID);

  /** Records that could not be decoded or were invalid, as they came; kept 7 days. */
  public static final TopicSpec<byte[]> DEAD_LETTERS =
      new TopicSpec<>(
          "dlq",
          byte[].class,
          Partitioning.SHARED,
          Map.of("retention.ms", String.valueOf(7 * DAY_MS)),
          "the original key");

  /**
   * Which dead letters were replayed, and where to (the value, JSON text); compacted. The guard
   * against replaying one twice ({@link DeadLetterQueue}).
   */
  public static final TopicSpec<byte[]> DEAD_LETTER_REPLAYS =
      new TopicSpec<>(
          "dlq.replays",
          byte[].class,
          Partitioning.SHARED,
          Map.of("cleanup.policy", "compact"),
          "dead letter partition:offset");

  /** Run-level stop signals (cancelled or failed runs) that every worker follows; kept a day. */
  public static final TopicSpec<RunEvent> CANCELLATIONS =
      new TopicSpec<>(
          "cancellations",
          RunEvent.class,
          Partitioning.SHARED,
          Map.of("retention.ms", String.valueOf(DAY_MS)),
          RUN_ID);

  /** Task types that workers serve; compacted. */
  public static final TopicSpec<TaskTypeDeclared> TASK_TYPES =
      new TopicSpec<>(
          "task-types",
          TaskTypeDeclared.class,
          Partitioning.SHARED,
          Map.of("cleanup.policy", "compact"),
          "task type");

  /** The suffix of a type's GPU pool ({@link #pool}). */
  public static final String GPU_POOL = ".gpu";

  /** Requests of one task type, a topic per type ({@code tasks.<type>}). */
  public static final TopicSpec<TaskRequest> TASKS =
      new TopicSpec<>("tasks.", TaskRequest.class, Partitioning.SHARED, Map.of(), "runId/taskId");

  /** Versions of registered models; compacted, one partition. */
  public static final TopicSpec<ModelVersion> MODEL_VERSIONS =
      new TopicSpec<>(
          "models.versions",
          ModelVersion.class,
          Partitioning.SINGLE,
          Map.of("cleanup.policy", "compact"),
          "name:version");

  /** Moves of model aliases such as {@code production}; compacted, one partition. */
  public static final TopicSpec<ModelAliasChanged> MODEL_ALIASES =
      new TopicSpec<>(
          "models.aliases",
          ModelAliasChanged.class,
          Partitioning.SINGLE,
          Map.of("cleanup.policy", "compact"),
          "name:alias");

  /**
   * Schedules by name ({@link Schedules}); compacted, one partition: one coordinator instance fires
   * them all.
   */
  public static final TopicSpec<Schedule> SCHEDULES =
      new TopicSpec<>(
          "schedules",
          Schedule.class,
          Partitioning.SINGLE,
          Map.of("cleanup.policy", "compact"),
          "schedule name");

  /** Every entry of the catalogue. */
  public static final List<TopicSpec<?>> ALL =
      List.of(
          DEFINITIONS,
          COMMANDS,
          RESULTS,
          EVENTS,
          DEAD_LETTERS,
          DEAD_LETTER_REPLAYS,
          CANCELLATIONS,
          TASK_TYPES,
          TASKS,
          MODEL_VERSIONS,
          MODEL_ALIASES,
          SCHEDULES);

  /** The topics the coordinator reads and writes, and creates when they are missing. */
  public static final List<TopicSpec<?>> CORE =
      List.of(
          DEFINITIONS,
          COMMANDS,
          RESULTS,
          EVENTS,
          DEAD_LETTERS,
          CANCELLATIONS,
          TASK_TYPES,
          SCHEDULES);

  /** The model registry's topics. */
  public static final List<TopicSpec<?>> MODELS = List.of(MODEL_VERSIONS, MODEL_ALIASES);

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]*");

  private final String prefix;

  public WeftTopics(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "Topic prefix '" + prefix + "' may only hold letters, digits, '.', '_' and '-'");
    }
    this.prefix = prefix;
  }

  public static WeftTopics withDefaultPrefix() {
    return new WeftTopics(DEFAULT_PREFIX);
  }

  public String prefix() {
    return prefix;
  }

  /** The name of a single topic of the catalogue under this prefix. */
  public String name(TopicSpec<?> spec) {
    if (spec.isFamily()) {
      throw new IllegalArgumentException(spec.suffix() + "* names a topic per member");
    }
    return prefix + spec.suffix();
  }

  /** The catalogue entry of topic {@code name}, if it is one of this prefix's Weft topics. */
  public Optional<TopicSpec<?>> specOf(String name) {
    if (!name.startsWith(prefix)) {
      return Optional.empty();
    }
    String suffix = name.substring(prefix.length());
    return ALL.stream()
        .filter(s -> s.isFamily() ? suffix.startsWith(s.suffix()) : suffix.equals(s.suffix()))
        .findFirst()
        .map(s -> (TopicSpec<?>) s);
  }

  /** The names of {@code specs} (single topics) under this prefix. */
  public List<String> names(List<TopicSpec<?>> specs) {
    return specs.stream().map(this::name).toList();
  }

  /** Registered workflow definitions, key {@code name:version}; compacted. */
  public String definitions() {
    return name(DEFINITIONS);
  }

  /** Run commands, key run id. */
  public String commands() {
    return name(COMMANDS);
  }

  /** Workers' reports (results, heartbeats, progress), key run id. */
  public String results() {
    return name(RESULTS);
  }

  /** The audit log of every run, key run id. */
  public String events() {
    return name(EVENTS);
  }

  /**
   * Records that could not be decoded or were invalid, with headers naming where they came from.
   */
  public String deadLetters() {
    return name(DEAD_LETTERS);
  }

  /** Which dead letters were replayed ({@link DeadLetterQueue}). */
  public String deadLetterReplays() {
    return name(DEAD_LETTER_REPLAYS);
  }

  /** Run-level stop signals (cancelled or failed runs) that every worker follows, key run id. */
  public String cancellations() {
    return name(CANCELLATIONS);
  }

  /** Task types that workers serve, key type; compacted. */
  public String taskTypes() {
    return name(TASK_TYPES);
  }

  /** Schedules, key schedule name; compacted, one partition. */
  public String schedules() {
    return name(SCHEDULES);
  }

  /**
   * Requests of one task pool, key {@code runId/taskId}: a task type ({@code train}), or a type's
   * GPU pool ({@link #pool}: {@code train.gpu}).
   */
  public String tasks(String pool) {
    return prefix + TASKS.suffix() + pool;
  }

  /** The consumer group of one task pool's workers: a type, or its GPU pool ({@link #pool}). */
  public String workerGroup(String pool) {
    return prefix + "workers." + pool;
  }

  /**
   * The pool of a type's requests: the type itself, or for tasks that need a GPU its GPU pool,
   * {@code <type>.gpu}, which has its own topic and consumer group and is served only by workers
   * that have GPUs. A type never contains a dot, so a pool names one type.
   */
  public static String pool(String type, boolean gpu) {
    return gpu ? type + GPU_POOL : type;
  }

  /** The type a pool serves. */
  public static String typeOfPool(String pool) {
    return pool.endsWith(GPU_POOL) ? pool.substring(0, pool.length() - GPU_POOL.length()) : pool;
  }

  /**
   * Versions of registered models, key {@code name:version}, value {@code ModelVersion}; compacted,
   * one partition.
   */
  public String modelVersions() {
    return name(MODEL_VERSIONS);
  }

  /**
   * Moves of model aliases such as {@code production}, key {@code name:alias}, value {@code
   * ModelAliasChanged}; compacted, one partition.
   */
  public String modelAliases() {
    return name(MODEL_ALIASES);
  }

  /**
   * The transactional id that serves as the lock of one model's writers (see {@link
   * ModelRegistry}).
   */
  public String modelLock(String model) {
    return prefix + "models." + model;
  }
}

package io.weft.core.api;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The catalogue of every topic Weft uses, under one configurable prefix ({@code weft.} by default).
 * Immutable.
 *
 * <p>Commands, results and events are keyed by run id and have the same partition count, so that
 * everything about one run meets in one partition of the coordinator.
 */
public final class WeftTopics {

  public static final String DEFAULT_PREFIX = "weft.";

  /** Partitions of each model registry topic. */
  public static final int MODEL_TOPIC_PARTITIONS = 1;

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

  /** Registered workflow definitions, key {@code name:version}; compacted. */
  public String definitions() {
    return prefix + "definitions";
  }

  /** Run commands, key run id. */
  public String commands() {
    return prefix + "commands";
  }

  /** Workers' reports (results, heartbeats, progress), key run id. */
  public String results() {
    return prefix + "results";
  }

  /** The audit log of every run, key run id. */
  public String events() {
    return prefix + "events";
  }

  /**
   * Records that could not be decoded or were invalid, with headers naming where they came from.
   */
  public String deadLetters() {
    return prefix + "dlq";
  }

  /** Run-level stop signals (cancelled or failed runs) that every worker follows, key run id. */
  public String cancellations() {
    return prefix + "cancellations";
  }

  /** Task types that workers serve, key type; compacted. */
  public String taskTypes() {
    return prefix + "task-types";
  }

  /** Requests of one task type, key {@code runId/taskId}. */
  public String tasks(String type) {
    return prefix + "tasks." + type;
  }

  /** The consumer group of one task type's workers. */
  public String workerGroup(String type) {
    return prefix + "workers." + type;
  }

  /**
   * Versions of registered models, key {@code name:version}, value {@code ModelVersion}; compacted,
   * one partition.
   */
  public String modelVersions() {
    return prefix + "models.versions";
  }

  /**
   * Moves of model aliases such as {@code production}, key {@code name:alias}, value {@code
   * ModelAliasChanged}; compacted, one partition.
   */
  public String modelAliases() {
    return prefix + "models.aliases";
  }

  /**
   * The transactional id that serves as the lock of one model's writers (see {@link
   * ModelRegistry}).
   */
  public String modelLock(String model) {
    return prefix + "models." + model;
  }

  /**
   * Topic configs of the model registry's topics, by name. Each has exactly one partition ({@link
   * #MODEL_TOPIC_PARTITIONS}): registry traffic is small, and one partition gives every change one
   * total order.
   */
  public Map<String, Map<String, String>> modelTopicConfigs() {
    return Map.of(
        modelVersions(), Map.of("cleanup.policy", "compact"),
        modelAliases(), Map.of("cleanup.policy", "compact"));
  }

  /** Topic configs of the core topics, by name. */
  public Map<String, Map<String, String>> coreTopicConfigs() {
    return Map.of(
        definitions(), Map.of("cleanup.policy", "compact"),
        commands(), Map.of(),
        results(), Map.of(),
        events(), Map.of("retention.ms", "-1"),
        deadLetters(), Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000)),
        cancellations(), Map.of("retention.ms", String.valueOf(24L * 3600 * 1000)),
        taskTypes(), Map.of("cleanup.policy", "compact"));
  }
}

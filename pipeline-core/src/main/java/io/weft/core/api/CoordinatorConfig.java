package io.weft.core.api;

import io.weft.core.http.HttpSettings;
import io.weft.core.internals.coordinator.RunEngine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Settings of the coordinator. Besides these keys, {@code security.protocol}, {@code sasl.*} and
 * {@code ssl.*} pass through to every Kafka client, the serde settings of {@code AvroSerdeConfig}
 * (e.g. {@code basic.auth.user.info}) to the Avro serdes, and keys prefixed {@code streams.} pass
 * through (prefix removed) to Kafka Streams. Anything else fails at start-up, naming the key.
 */
public final class CoordinatorConfig extends WeftConfig {

  public static final String APPLICATION_ID_CONFIG = "application.id";
  public static final String STATE_DIR_CONFIG = "state.dir";
  public static final String STREAM_THREADS_CONFIG = "num.stream.threads";
  public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
  public static final String DEFAULT_TASK_TIMEOUT_MS_CONFIG = "weft.task.default.timeout.ms";
  public static final String TIMER_INTERVAL_MS_CONFIG = "weft.timer.interval.ms";
  public static final String RUN_RETENTION_MS_CONFIG = "weft.run.retention.ms";
  public static final String MAX_RECORD_BYTES_CONFIG = "weft.max.record.bytes";
  public static final String EVENTS_RETENTION_MS_CONFIG = "weft.events.retention.ms";
  public static final String QUERY_HOST_CONFIG = "weft.query.host";
  public static final String QUERY_PORT_CONFIG = "weft.query.port";
  public static final String UI_ENABLED_CONFIG = "weft.ui.enabled";
  public static final String UI_HISTORY_MS_CONFIG = "weft.ui.history.ms";

  /** Prefix of settings passed to Kafka Streams. */
  public static final String STREAMS_PREFIX = "streams.";

  private static final ConfigDef CONFIG =
      ConnectionSettings.define(new ConfigDef())
          .define(
              APPLICATION_ID_CONFIG,
              Type.STRING,
              "weft-coordinator",
              Importance.MEDIUM,
              "Kafka Streams application id: the coordinator's consumer group and the prefix of its internal topics. Every instance of one coordinator uses the same id.")
          .define(
              STATE_DIR_CONFIG,
              Type.STRING,
              "weft-data/coordinator",
              Importance.MEDIUM,
              "Directory of the coordinator's local state (run store, timers); Kafka Streams"
                  + " keeps it in <state.dir>/<application.id>. weft recover refuses to run while"
                  + " that directory holds state, unless told to delete it (--wipe-local-state).")
          .define(
              STREAM_THREADS_CONFIG,
              Type.INT,
              1,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Stream threads of this instance.")
          .define(
              COMMIT_INTERVAL_MS_CONFIG,
              Type.LONG,
              5L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "How often a transaction commits (exactly-once): a floor on every hop's latency. Kafka Streams' default under exactly-once is 100 ms; Weft's is much shorter, since a run's next task is dispatched only when the transaction that decided it commits. Shorter still lowers the hop latency at the price of more transactions (CPU) per task under load. The coordinator also sets Streams' poll.ms to 2 ms (override with streams.poll.ms), so that an idle stream thread commits what it processed within a few milliseconds.")
          .define(
              RUN_RETENTION_MS_CONFIG,
              Type.LONG,
              7L * 24 * 3600 * 1000,
              Range.atLeast(1),
              Importance.MEDIUM,
              "How long a finished run's state is kept, in milliseconds (default 7 days). After it the state is deleted from the coordinator's store (a tombstone in its changelog), and the query API answers 404 for the run; its events stay on weft.events for as long as that topic keeps them (weft.events.retention.ms).")
          .define(
              EVENTS_RETENTION_MS_CONFIG,
              Type.LONG,
              -1L,
              CoordinatorConfig::validateEventsRetention,
              Importance.MEDIUM,
              "How long weft.events keeps a run's events, in milliseconds: its retention.ms when"
                  + " Weft creates the topic (a topic that exists keeps its own; change that with"
                  + " kafka-configs). -1, the default, keeps them forever. Recovery (weft recover)"
                  + " rebuilds only the runs whose whole history is still on weft.events: with a"
                  + " finite retention, a run whose first events were deleted cannot be rebuilt,"
                  + " and is skipped and counted. Keep it at least weft.run.retention.ms plus the"
                  + " longest a run lasts, or -1, so that every run the coordinator still holds can"
                  + " be rebuilt; weft watch, too, replays only what is left.")
          .define(
              MAX_RECORD_BYTES_CONFIG,
              Type.INT,
              RunEngine.DEFAULT_MAX_RECORD_BYTES,
              Range.between(64 * 1024, 64 * 1024 * 1024),
              Importance.MEDIUM,
              "The largest record the coordinator writes, in bytes: a run's state, a task request (its params and upstream outputs), a forEach task's aggregated outputs. A run whose state would be larger fails with weft.TooLarge, as does a task whose request or aggregated outputs would be (its failure policy applies), instead of a write that Kafka refuses. Kafka's limits must allow it: the topics' max.message.bytes (1 MB by default) and the producer's max.request.size, which the coordinator raises to this plus 64 KB when it is larger than its default.")
          .define(
              DEFAULT_TASK_TIMEOUT_MS_CONFIG,
              Type.LONG,
              3_600_000L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Timeout of a task attempt whose definition sets none.")
          .define(
              TIMER_INTERVAL_MS_CONFIG,
              Type.LONG,
              50L,
              Range.between(10, 60_000),
              Importance.LOW,
              "How often due timers (timeouts, retries) are scanned, by wall clock: a retry or"
                  + " timeout fires up to this much after its due time.")
          .define(
              QUERY_HOST_CONFIG,
              Type.STRING,
              "127.0.0.1",
              Importance.MEDIUM,
              "Host the query API listens on, and that other instances use to reach it.")
          .define(
              QUERY_PORT_CONFIG,
              Type.INT,
              0,
              Range.between(0, 65535),
              Importance.MEDIUM,
              "Port of the query API; 0 picks a free one.")
          .define(
              UI_ENABLED_CONFIG,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Whether the query API also serves the web UI, under /ui.")
          .define(
              UI_HISTORY_MS_CONFIG,
              Type.LONG,
              24 * 60 * 60 * 1000L,
              Range.atLeast(0),
              Importance.LOW,
              "How far back the web UI reads the event log when it is first opened: the"
                  + " attempts, progress and curves of runs older than this are not shown (their"
                  + " state is). It keeps the events of the most recently active runs, up to 200,000.");

  static {
    // the query API's TLS and tokens; the trust its calls to other instances need
    HttpSettings.defineTrust(HttpSettings.defineServer(CONFIG));
  }

  public CoordinatorConfig(Map<String, ?> props) {
    super(CONFIG, props);
    rejectUnknown(CONFIG, props, Set.of(STREAMS_PREFIX), "coordinator");
  }

  /**
   * Where Kafka Streams keeps this coordinator's local state on this machine: {@code
   * <state.dir>/<application.id>}, with {@code streams.state.dir} in place of {@code state.dir} if
   * it is set, as the coordinator passes it to Kafka Streams. A relative path is relative to the
   * working directory.
   */
  public Path localStateDirectory() {
    Object stateDir =
        originalsWithPrefix(STREAMS_PREFIX)
            .getOrDefault(STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
    return Path.of(String.valueOf(stateDir), getString(APPLICATION_ID_CONFIG));
  }

  /**
   * The catalogue entry's topic configs, with {@code weft.events.retention.ms} as the events
   * topic's {@code retention.ms}.
   */
  @Override
  public Map<String, String> topicConfigs(TopicSpec<?> spec) {
    if (!spec.equals(WeftTopics.EVENTS)) {
      return super.topicConfigs(spec);
    }
    Map<String, String> configs = new HashMap<>(super.topicConfigs(spec));
    configs.put(
        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(getLong(EVENTS_RETENTION_MS_CONFIG)));
    return Map.copyOf(configs);
  }

  private static void validateEventsRetention(String name, Object value) {
    long ms = value == null ? 0 : (Long) value;
    if (ms != -1 && ms < 1) {
      throw new ConfigException(name, value, "must be -1 (keep forever) or at least 1");
    }
  }

  /** The definition of every setting, for documentation. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }
}

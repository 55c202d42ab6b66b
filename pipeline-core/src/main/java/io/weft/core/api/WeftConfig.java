package io.weft.core.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The base of every Weft component's configuration: the shared settings ({@link
 * ConnectionSettings}: brokers, schema registry, topic prefix, partitions and replication of
 * created topics) and what follows from them: the topic catalogue under the prefix, the serdes'
 * settings, the configs of the topics it creates, and the {@link TopicAdmin} that creates and
 * checks topics.
 */
public abstract class WeftConfig extends AbstractConfig {

  public static final String BOOTSTRAP_SERVERS_CONFIG = ConnectionSettings.BOOTSTRAP_SERVERS_CONFIG;
  public static final String SCHEMA_REGISTRY_URL_CONFIG =
      ConnectionSettings.SCHEMA_REGISTRY_URL_CONFIG;
  public static final String TOPIC_PREFIX_CONFIG = ConnectionSettings.TOPIC_PREFIX_CONFIG;
  public static final String PARTITIONS_CONFIG = ConnectionSettings.PARTITIONS_CONFIG;
  public static final String REPLICATION_FACTOR_CONFIG =
      ConnectionSettings.REPLICATION_FACTOR_CONFIG;
  public static final String MIN_INSYNC_REPLICAS_CONFIG =
      ConnectionSettings.MIN_INSYNC_REPLICAS_CONFIG;

  /**
   * Parses {@code props} by {@code definition} (which {@link ConnectionSettings#define} started).
   * The subclass checks unknown keys; {@link #rejectUnknown} does it the common way.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the key of an invalid value
   */
  protected WeftConfig(ConfigDef definition, Map<String, ?> props) {
    super(definition, props, false);
    int rf = getInt(REPLICATION_FACTOR_CONFIG);
    int isr = getInt(MIN_INSYNC_REPLICAS_CONFIG);
    if (rf > 0 && isr > rf) {
      throw new ConfigException(
          MIN_INSYNC_REPLICAS_CONFIG,
          isr,
          "must be at most " + REPLICATION_FACTOR_CONFIG + " (" + rf + "): no write could commit");
    }
  }

  /**
   * Fails naming every key of {@code props} that {@code definition} does not define and that is not
   * a serde setting, a Kafka security setting or under one of {@code prefixes}.
   *
   * @param component what the settings are for, e.g. "coordinator", for the message
   */
  protected static void rejectUnknown(
      ConfigDef definition, Map<String, ?> props, Set<String> prefixes, String component) {
    ConnectionSettings.rejectUnknown(definition, props, prefixes, component);
  }

  /** The Kafka bootstrap servers, comma-separated. */
  public String bootstrapServers() {
    return String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG));
  }

  /** The topic catalogue under this installation's prefix. */
  public WeftTopics topics() {
    return new WeftTopics(getString(TOPIC_PREFIX_CONFIG));
  }

  /** The schema registry settings for Weft's serdes. */
  public Map<String, Object> serdeConfig() {
    return ConnectionSettings.serdeConfig(originals());
  }

  /** Partitions of the topics this component creates ({@code weft.partitions}). */
  public int partitions() {
    return getInt(PARTITIONS_CONFIG);
  }

  /** Replication factor of the topics this component creates; -1 for the broker's default. */
  public short replicationFactor() {
    return getInt(REPLICATION_FACTOR_CONFIG).shortValue();
  }

  /** {@code min.insync.replicas} of the topics this component creates; -1 for the broker's. */
  public int minInsyncReplicas() {
    return getInt(MIN_INSYNC_REPLICAS_CONFIG);
  }

  /**
   * The topic configs this component creates {@code spec}'s topic with: the catalogue entry's, with
   * {@code weft.min.insync.replicas} if set, unless a setting of the component says otherwise (the
   * coordinator's {@code weft.events.retention.ms}).
   */
  public Map<String, String> topicConfigs(TopicSpec<?> spec) {
    return withMinInsyncReplicas(spec.configs());
  }

  /**
   * {@code configs} with {@code min.insync.replicas} if {@code weft.min.insync.replicas} is set.
   */
  public Map<String, String> withMinInsyncReplicas(Map<String, String> configs) {
    if (minInsyncReplicas() < 1) {
      return configs;
    }
    Map<String, String> with = new HashMap<>(configs);
    with.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas()));
    return Map.copyOf(with);
  }

  /** Creates and checks this installation's topics through {@code admin}. */
  public TopicAdmin topicAdmin(Admin admin) {
    return new TopicAdmin(admin, topics(), partitions(), replicationFactor(), this::topicConfigs);
  }
}

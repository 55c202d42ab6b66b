package io.weft.core.api;

import io.weft.schemas.serde.AvroSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings every Weft component shares, declared once: where the brokers and the schema
 * registry are, the topic prefix, and how the topics a component creates are partitioned and
 * replicated. {@link WeftConfig} is the base of every component's configuration.
 */
public final class ConnectionSettings {

  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
  public static final String TOPIC_PREFIX_CONFIG = "weft.topic.prefix";
  public static final String PARTITIONS_CONFIG = "weft.partitions";
  public static final String REPLICATION_FACTOR_CONFIG = "weft.replication.factor";
  public static final String MIN_INSYNC_REPLICAS_CONFIG = "weft.min.insync.replicas";

  /** Every setting of the Avro serdes: the registry URL, its credentials and timeouts. */
  private static final Set<String> SERDE_KEYS = AvroSerdeConfig.configDef().names();

  private ConnectionSettings() {}

  /** Whether {@code key} is a setting of Weft's Avro serdes (e.g. {@code basic.auth.user.info}). */
  public static boolean isSerdeSetting(String key) {
    return SERDE_KEYS.contains(key);
  }

  /** The serde settings among a component's settings, for its Avro serdes. */
  public static Map<String, Object> serdeConfig(Map<String, ?> settings) {
    Map<String, Object> serde = new HashMap<>();
    settings.forEach(
        (key, value) -> {
          if (isSerdeSetting(key)) {
            serde.put(key, value);
          }
        });
    return serde;
  }

  /**
   * Fails naming every key of {@code props} that {@code definition} does not define and that is not
   * a serde setting, a Kafka security setting or under one of {@code prefixes}, as Weft's own
   * components do.
   *
   * @param component what the settings are for, e.g. "inference server", for the message
   * @throws org.apache.kafka.common.config.ConfigException naming the unknown keys
   */
  public static void rejectUnknown(
      ConfigDef definition,
      Map<String, ?> props,
      java.util.Set<String> prefixes,
      String component) {
    io.weft.core.internals.config.PassThrough.rejectUnknown(definition, props, prefixes, component);
  }

  /** Adds the shared settings to {@code definition} and returns it. */
  public static ConfigDef define(ConfigDef definition) {
    return definition
        .define(
            BOOTSTRAP_SERVERS_CONFIG,
            Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE,
            ConfigDef.ValidList.anyNonDuplicateValues(false, false),
            Importance.HIGH,
            "Kafka brokers to connect to, host:port, comma-separated.")
        .define(
            SCHEMA_REGISTRY_URL_CONFIG,
            Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE,
            ConfigDef.ValidList.anyNonDuplicateValues(false, false),
            Importance.HIGH,
            "Base URLs of the Confluent-API schema registry, comma-separated (Apicurio:"
                + " http://host:port/apis/ccompat/v7); mock://<scope> for an in-memory registry in"
                + " tests.")
        .define(
            TOPIC_PREFIX_CONFIG,
            Type.STRING,
            WeftTopics.DEFAULT_PREFIX,
            ConnectionSettings::validatePrefix,
            Importance.MEDIUM,
            "Prefix of every Weft topic and consumer group; the same for every component of one"
                + " installation.")
        .define(
            PARTITIONS_CONFIG,
            Type.INT,
            12,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "Partitions of a topic this component creates because it is missing: the task topics"
                + " (which bounds how many workers of a type share the work) and the core topics."
                + " Commands, results and events always share one count: a missing one gets the"
                + " count of those that exist. The model registry's topics have one partition.")
        .define(
            REPLICATION_FACTOR_CONFIG,
            Type.INT,
            -1,
            ConnectionSettings::validateReplicationFactor,
            Importance.MEDIUM,
            "Replication factor of the topics this component creates; -1 for the broker's"
                + " default.")
        .define(
            MIN_INSYNC_REPLICAS_CONFIG,
            Type.INT,
            -1,
            ConnectionSettings::validateMinInsyncReplicas,
            Importance.MEDIUM,
            "min.insync.replicas of the topics this component creates (the coordinator's"
                + " changelogs included); -1 for the broker's default. Weft writes with acks=all,"
                + " so on a cluster with weft.replication.factor=3, 2 means a write commits once two"
                + " replicas hold it: one broker may fail without losing a committed record or"
                + " stopping writes. At most weft.replication.factor.");
  }

  private static void validateMinInsyncReplicas(String name, Object value) {
    int isr = value == null ? 0 : (Integer) value;
    if (isr != -1 && isr < 1) {
      throw new ConfigException(name, value, "must be -1 (the broker's default) or at least 1");
    }
  }

  private static void validateReplicationFactor(String name, Object value) {
    int rf = value == null ? 0 : (Integer) value;
    if (rf != -1 && (rf < 1 || rf > Short.MAX_VALUE)) {
      throw new ConfigException(name, value, "must be -1 (the broker's default) or at least 1");
    }
  }

  private static void validatePrefix(String name, Object value) {
    try {
      new WeftTopics(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }
}

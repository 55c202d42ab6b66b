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
 * registry are, and the topic prefix.
 */
public final class ConnectionSettings {

  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
  public static final String TOPIC_PREFIX_CONFIG = "weft.topic.prefix";

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
                + " installation.");
  }

  private static void validatePrefix(String name, Object value) {
    try {
      new WeftTopics(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }
}

package io.weft.workers.internals;

import io.weft.schemas.serde.AvroSerdeConfig;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which keys beyond the worker's own a worker config accepts, and where they go: security settings
 * to every Kafka client, {@code consumer.}/{@code producer.}/{@code admin.} keys to that kind of
 * client, registry settings to the serdes.
 */
public final class ClientOverrides {

  public static final String CONSUMER = "consumer.";
  public static final String PRODUCER = "producer.";
  public static final String ADMIN = "admin.";

  /** Settings the worker's guarantees rest on; they cannot be overridden. */
  private static final Map<String, Set<String>> FIXED =
      Map.of(
          CONSUMER,
          Set.of(
              "group.id",
              "enable.auto.commit",
              "isolation.level",
              "key.deserializer",
              "value.deserializer"),
          PRODUCER,
          Set.of("transactional.id", "enable.idempotence", "key.serializer", "value.serializer"),
          ADMIN,
          Set.of());

  private static final Set<String> SERDE_KEYS = AvroSerdeConfig.configDef().names();

  /** Kafka's own definitions of each client kind's settings, to check values early. */
  private static final Map<String, ConfigDef> CLIENT_DEFS =
      Map.of(
          CONSUMER, ConsumerConfig.configDef(),
          PRODUCER, ProducerConfig.configDef(),
          ADMIN, AdminClientConfig.configDef());

  private ClientOverrides() {}

  /**
   * Fails naming every key that is neither declared nor a pass-through key, and every attempt to
   * override a fixed client setting.
   */
  public static void checkKeys(Map<String, Object> originals, Set<String> declared) {
    Set<String> unknown = new TreeSet<>();
    for (String key : originals.keySet()) {
      if (declared.contains(key) || isSecurity(key) || isSerde(key)) {
        continue;
      }
      String prefix = prefixOf(key);
      if (prefix == null) {
        unknown.add(key);
        continue;
      }
      String stripped = key.substring(prefix.length());
      if (FIXED.get(prefix).contains(stripped)) {
        throw new ConfigException(
            key, originals.get(key), "the worker sets " + stripped + " itself; it is not settable");
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "Unknown worker configuration "
              + (unknown.size() == 1 ? "key " : "keys ")
              + String.join(", ", unknown)
              + "; the worker accepts its declared keys, security.protocol, sasl.*, ssl.*,"
              + " consumer.*, producer.*, admin.* and the schema registry settings"
              + " (schema.registry.*, basic.auth.*)");
    }
  }

  /**
   * Checks the values of pass-through keys against the Kafka clients' own definitions, so that a
   * bad value fails when the config is read, naming the key as given (with its prefix). Keys a
   * client does not define (e.g. settings of plugins) are left to the client.
   */
  public static void checkValues(Map<String, Object> originals) {
    originals.forEach(
        (key, value) -> {
          if (isSecurity(key)) {
            CLIENT_DEFS.values().forEach(def -> checkValue(def, key, key, value));
          } else {
            String prefix = prefixOf(key);
            if (prefix != null) {
              checkValue(CLIENT_DEFS.get(prefix), key, key.substring(prefix.length()), value);
            }
          }
        });
  }

  private static void checkValue(ConfigDef def, String given, String name, Object value) {
    ConfigDef.ConfigKey key = def.configKeys().get(name);
    if (key == null) {
      return;
    }
    try {
      Object parsed = ConfigDef.parseType(name, value, key.type);
      if (key.validator != null) {
        key.validator.ensureValid(name, parsed);
      }
    } catch (ConfigException e) {
      throw new ConfigException(given, value, e.getMessage());
    }
  }

  /** The security settings and the keys of one client kind (prefix stripped). */
  public static Map<String, Object> forClient(Map<String, Object> originals, String prefix) {
    Map<String, Object> result = security(originals);
    originals.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            result.put(key.substring(prefix.length()), value);
          }
        });
    return result;
  }

  /** The Kafka security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}). */
  public static Map<String, Object> security(Map<String, Object> originals) {
    Map<String, Object> result = new TreeMap<>();
    originals.forEach(
        (key, value) -> {
          if (isSecurity(key)) {
            result.put(key, value);
          }
        });
    return result;
  }

  /** The registry settings, for the serdes. */
  public static Map<String, Object> forSerdes(Map<String, Object> originals) {
    Map<String, Object> result = new TreeMap<>();
    originals.forEach(
        (key, value) -> {
          if (isSerde(key)) {
            result.put(key, value);
          }
        });
    return result;
  }

  private static boolean isSecurity(String key) {
    return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
  }

  private static boolean isSerde(String key) {
    return SERDE_KEYS.contains(key);
  }

  private static String prefixOf(String key) {
    for (String prefix : FIXED.keySet()) {
      if (key.startsWith(prefix) && key.length() > prefix.length()) {
        return prefix;
      }
    }
    return null;
  }
}

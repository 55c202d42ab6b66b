package io.weft.core.internals.config;

import io.weft.core.api.ConnectionSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which settings of a Weft component go where: its own keys (declared in a {@link ConfigDef}),
 * Kafka security settings (passed to every Kafka client the component creates), and prefixed
 * overrides for one kind of client. Anything else is a mistake, reported at start-up.
 */
public final class PassThrough {

  /** Keys that configure Kafka client security, passed to every client. */
  private static final List<String> SECURITY_PREFIXES =
      List.of("security.protocol", "sasl.", "ssl.");

  private PassThrough() {}

  /**
   * Fails on the first key that is neither declared, nor a security setting, nor under one of
   * {@code prefixes}.
   *
   * @throws ConfigException naming the key
   */
  public static void rejectUnknown(
      ConfigDef definition, Map<String, ?> props, Set<String> prefixes, String component) {
    List<String> unknown = new ArrayList<>();
    for (String key : props.keySet()) {
      if (!definition.names().contains(key)
          && !ConnectionSettings.isSerdeSetting(key)
          && !isSecurity(key)
          && prefixes.stream().noneMatch(key::startsWith)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      unknown.sort(String::compareTo);
      throw new ConfigException(
          "Unknown "
              + component
              + " setting"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown.stream().map(k -> "'" + k + "'").toList())
              + "; see the configuration reference (security.protocol, sasl.* and ssl.* pass through to Kafka, the schema registry's basic.auth.*, schema.registry.ssl.* and timeout settings to the serdes, and keys prefixed "
              + String.join(", ", prefixes)
              + ")");
    }
  }

  /** The security settings among {@code props}. */
  public static Map<String, Object> security(Map<String, ?> props) {
    Map<String, Object> security = new HashMap<>();
    props.forEach(
        (k, v) -> {
          if (isSecurity(k)) {
            security.put(k, v);
          }
        });
    return security;
  }

  /** The settings under {@code prefix}, with the prefix removed. */
  public static Map<String, Object> withPrefix(Map<String, ?> props, String prefix) {
    Map<String, Object> selected = new HashMap<>();
    props.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            selected.put(k.substring(prefix.length()), v);
          }
        });
    return selected;
  }

  private static boolean isSecurity(String key) {
    return SECURITY_PREFIXES.stream().anyMatch(key::startsWith);
  }
}

package io.weft.core.api;

import io.weft.core.internals.config.PassThrough;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of {@link WeftClient}. Besides these keys, {@code security.protocol}, {@code sasl.*} and
 * {@code ssl.*} pass through to every Kafka client, and keys prefixed {@code producer.}, {@code
 * consumer.} or {@code admin.} pass through (prefix removed) to that client. Anything else fails,
 * naming the key.
 */
public final class ClientConfig extends AbstractConfig {

  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
  public static final String TOPIC_PREFIX_CONFIG = "weft.topic.prefix";
  public static final String QUERY_URL_CONFIG = "weft.query.url";
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "weft.request.timeout.ms";

  private static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              BOOTSTRAP_SERVERS_CONFIG,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Kafka brokers, host:port[,host:port...].")
          .define(
              SCHEMA_REGISTRY_URL_CONFIG,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Base URLs of the Confluent-API schema registry.")
          .define(
              TOPIC_PREFIX_CONFIG,
              Type.STRING,
              WeftTopics.DEFAULT_PREFIX,
              Importance.MEDIUM,
              "Prefix of every Weft topic.")
          .define(
              QUERY_URL_CONFIG,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Base URLs of coordinators' query APIs, for run status; any instance answers for all.")
          .define(
              REQUEST_TIMEOUT_MS_CONFIG,
              Type.INT,
              30_000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "Bound on each request the client makes (send, read, query).");

  public ClientConfig(Map<String, ?> props) {
    super(CONFIG, props, false);
    PassThrough.rejectUnknown(CONFIG, props, Set.of("producer.", "consumer.", "admin."), "client");
  }

  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  public WeftTopics topics() {
    return new WeftTopics(getString(TOPIC_PREFIX_CONFIG));
  }

  public Map<String, Object> serdeConfig() {
    return Map.of(
        SCHEMA_REGISTRY_URL_CONFIG, String.join(",", getList(SCHEMA_REGISTRY_URL_CONFIG)));
  }
}

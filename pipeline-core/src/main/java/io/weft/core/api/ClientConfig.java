package io.weft.core.api;

import io.weft.core.http.HttpSettings;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of {@link WeftClient}. Besides these keys, {@code security.protocol}, {@code sasl.*} and
 * {@code ssl.*} pass through to every Kafka client, the serde settings of {@code AvroSerdeConfig}
 * (e.g. {@code basic.auth.user.info}) to the Avro serdes, and keys prefixed {@code producer.},
 * {@code consumer.} or {@code admin.} pass through (prefix removed) to that client. Anything else
 * fails, naming the key.
 */
public final class ClientConfig extends WeftConfig {

  public static final String QUERY_URL_CONFIG = "weft.query.url";
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "weft.request.timeout.ms";

  private static final ConfigDef CONFIG =
      ConnectionSettings.define(new ConfigDef())
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

  static {
    // HTTPS trust and the bearer token for the query API
    HttpSettings.defineClient(CONFIG);
  }

  public ClientConfig(Map<String, ?> props) {
    super(CONFIG, props);
    rejectUnknown(CONFIG, props, Set.of("producer.", "consumer.", "admin."), "client");
  }

  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }
}

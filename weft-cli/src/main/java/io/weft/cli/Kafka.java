package io.weft.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Admin-client settings and the reachability check the long-running commands make first. */
final class Kafka {

  /** How long the commands wait for the broker before giving up. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  private Kafka() {}

  /** Admin settings: the brokers, the security keys and the {@code admin.*} keys, unprefixed. */
  static Map<String, Object> adminProps(Map<String, ?> settings) {
    Map<String, Object> props = new HashMap<>();
    settings.forEach(
        (key, value) -> {
          if (key.equals("security.protocol")
              || key.startsWith("sasl.")
              || key.startsWith("ssl.")) {
            props.put(key, value);
          } else if (key.startsWith("admin.")) {
            props.put(key.substring("admin.".length()), value);
          }
        });
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get("bootstrap.servers"));
    return props;
  }

  /** An admin client whose calls give up within {@link #CONNECT_TIMEOUT}. */
  static Admin admin(Map<String, Object> adminProps) {
    Map<String, Object> props = new HashMap<>(adminProps);
    int timeout = (int) CONNECT_TIMEOUT.toMillis();
    props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    return Admin.create(props);
  }

  /**
   * Fails within {@link #CONNECT_TIMEOUT} (plus a little) naming the address if the brokers at
   * {@code adminProps}' bootstrap servers do not answer.
   */
  static void requireReachable(Map<String, Object> adminProps) {
    Object address = adminProps.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = admin(adminProps)) {
      admin
          .describeCluster()
          .clusterId()
          .get(CONNECT_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new CliException(
          Weft.FAILED,
          "cannot reach Kafka at " + address + " within " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Weft.FAILED, "interrupted while connecting to Kafka at " + address);
    }
  }
}

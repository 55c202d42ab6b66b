package io.weft.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM on
 * free loopback ports, with its data under a given directory.
 *
 * <p>Single-node settings: replication factor 1 for the offsets topic, the transaction state log
 * and the share-coordinator state, and a min ISR of 1, without which transactions time out. Topics
 * are never auto-created: Weft creates its topics explicitly.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int START_ATTEMPTS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private boolean stopped;

  private EmbeddedKafka(Path dataDir, KafkaRaftServer server, String bootstrapServers) {
    this.dataDir = dataDir;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats {@code dataDir} if it is new, starts the broker and waits until it answers. A directory
   * that holds an earlier broker's data is reused, so a restarted broker keeps its topics.
   */
  public static EmbeddedKafka start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /** As {@link #start(Path)}, with extra broker settings that override the defaults. */
  public static EmbeddedKafka start(Path dataDir, Map<String, String> overrides) {
    EmbeddedException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return tryStart(dataDir, overrides);
      } catch (EmbeddedException e) {
        // a port found free may be taken before the broker binds it; try fresh ports
        last = e;
        log.warn("Broker start attempt {} failed: {}", attempt, e.getMessage());
      }
    }
    throw last;
  }

  private static EmbeddedKafka tryStart(Path dataDir, Map<String, String> overrides) {
    return startOnPorts(
        dataDir, FreePorts.next(), FreePorts.next(), Uuid.randomUuid().toString(), overrides);
  }

  /**
   * Starts one node of a cluster on the given ports, formatting {@code dataDir} with {@code
   * clusterId} if it is new: {@code overrides} name the node ({@code node.id}) and its quorum
   * ({@code controller.quorum.voters}) and set the cluster's replication. A restarted node passes
   * the same ports and directory, and keeps its data.
   */
  public static EmbeddedKafka startOnPorts(
      Path dataDir,
      int brokerPort,
      int controllerPort,
      String clusterId,
      Map<String, String> overrides) {
    Properties props = brokerProperties(dataDir, brokerPort, controllerPort);
    props.putAll(overrides);
    return startWith(dataDir, props, clusterId, "127.0.0.1:" + brokerPort, Map.of());
  }

  /**
   * Formats and starts a broker with complete settings {@code props}, then waits until an admin
   * client with {@code adminSecurity} (extra client settings, for a secured listener) sees it.
   */
  static EmbeddedKafka startWith(
      Path dataDir,
      Properties props,
      String clusterId,
      String bootstrap,
      Map<String, Object> adminSecurity) {
    try {
      Files.createDirectories(dataDir);
      format(dataDir, props, clusterId);
    } catch (IOException e) {
      throw new EmbeddedException("Cannot prepare the broker's data directory " + dataDir, e);
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
    try {
      server.startup();
      awaitReady(bootstrap, adminSecurity);
    } catch (RuntimeException e) {
      stopQuietly(server);
      throw new EmbeddedException("Kafka broker did not start on " + bootstrap + ": " + e, e);
    }
    log.info("Kafka broker ready on {} with data in {}", bootstrap, dataDir);
    return new EmbeddedKafka(dataDir, server, bootstrap);
  }

  static Properties brokerProperties(Path dataDir, int brokerPort, int controllerPort) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", dataDir.resolve("logs").toString());
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // a killed worker's open transaction is aborted within a second of its timeout, not ten
    props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
    return props;
  }

  private static void format(Path dataDir, Properties props, String clusterId) throws IOException {
    Path config = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "Weft embedded broker");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      exit =
          StorageTool.execute(
              new String[] {
                "format",
                "--config",
                config.toString(),
                "--cluster-id",
                clusterId,
                "--ignore-formatted"
              },
              print);
    }
    if (exit != 0) {
      throw new EmbeddedException(
          "Formatting the broker's storage in "
              + dataDir
              + " failed: "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  private static void awaitReady(String bootstrap, Map<String, Object> adminSecurity) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Map<String, Object> config = new HashMap<>(adminSecurity);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(config)) {
      while (true) {
        try {
          int nodes =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                  .nodes()
                  .get(10, TimeUnit.SECONDS)
                  .size();
          if (nodes > 0) {
            return;
          }
          TimeUnit.MILLISECONDS.sleep(100);
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new EmbeddedException("Interrupted while waiting for the broker", e);
          }
          if (System.nanoTime() > deadline) {
            throw new EmbeddedException(
                "Broker on " + bootstrap + " not ready after " + READY_TIMEOUT, e);
          }
        }
      }
    }
  }

  /** The broker's address, {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The directory holding the broker's logs and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker and waits until it has shut down; the data directory is kept. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    stopQuietly(server);
    log.info("Kafka broker on {} stopped", bootstrapServers);
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("Broker shutdown raised {}", e.toString());
    }
  }
}

package io.weft.testkit;

import io.weft.embedded.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;

/**
 * A real Kafka cluster of KRaft nodes (each a combined broker and controller) in JVMs of their own,
 * on free loopback ports, so that a test can kill a node with SIGKILL and start it again on the
 * same ports and data. Internal topics and topics created without a replication factor get one of
 * three (or the cluster's size, if smaller) and a min ISR of two: a write is acknowledged once two
 * replicas have it, and the cluster keeps accepting writes with one node down.
 *
 * <pre>{@code
 * try (KafkaCluster cluster = KafkaCluster.start(dir, 3, Map.of())) {
 *   int leader = cluster.leaderOf("orders", 0);
 *   cluster.kill(leader);
 *   cluster.restart(leader);
 *   cluster.awaitInSync(Duration.ofMinutes(1));
 * }
 * }</pre>
 */
public final class KafkaCluster implements AutoCloseable {

  private static final Duration NODE_START = Duration.ofSeconds(120);
  private static final List<String> NODE_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC");

  private record Node(int id, int brokerPort, int controllerPort, Path dir) {}

  private final Path dir;
  private final String clusterId;
  private final Path settingsFile;
  private final Map<Integer, Node> nodes;
  private final List<String> nodeJvm;
  private final Map<Integer, ChildJvm> running = new HashMap<>();
  private final Map<Integer, Integer> starts = new HashMap<>();

  private KafkaCluster(
      Path dir,
      String clusterId,
      Path settingsFile,
      Map<Integer, Node> nodes,
      List<String> nodeJvm) {
    this.dir = dir;
    this.clusterId = clusterId;
    this.settingsFile = settingsFile;
    this.nodes = nodes;
    this.nodeJvm = List.copyOf(nodeJvm);
  }

  /**
   * Starts {@code size} nodes at the same time (a node's broker waits for a quorum of controllers)
   * with data under {@code dir}, and waits until each is ready.
   *
   * @param overrides broker settings over the cluster's, for every node
   */
  public static KafkaCluster start(Path dir, int size, Map<String, String> overrides) {
    return start(dir, size, overrides, List.of());
  }

  /**
   * As {@link #start(Path, int, Map)}, each node's JVM with {@code jvmOptions} too (system
   * properties of its logging, say), after the cluster's own.
   */
  public static KafkaCluster start(
      Path dir, int size, Map<String, String> overrides, List<String> jvmOptions) {
    Map<Integer, Node> nodes = new LinkedHashMap<>();
    for (int id = 1; id <= size; id++) {
      nodes.put(id, new Node(id, FreePorts.next(), FreePorts.next(), dir.resolve("node-" + id)));
    }
    String voters =
        nodes.values().stream()
            .map(n -> n.id() + "@127.0.0.1:" + n.controllerPort())
            .collect(Collectors.joining(","));
    Map<String, String> settings = clusterSettings(size, voters);
    settings.putAll(overrides);
    Path settingsFile = SettingsFiles.write(dir.resolve("cluster.properties"), settings);
    List<String> nodeJvm = new ArrayList<>(NODE_JVM);
    nodeJvm.addAll(jvmOptions);
    KafkaCluster cluster =
        new KafkaCluster(dir, Uuid.randomUuid().toString(), settingsFile, nodes, nodeJvm);
    try {
      for (int id : nodes.keySet()) {
        cluster.launch(id);
      }
      for (ChildJvm node : cluster.running.values()) {
        node.awaitReady(NODE_START);
      }
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return cluster;
  }

  static Map<String, String> clusterSettings(int size, String voters) {
    String replicas = String.valueOf(Math.min(3, size));
    String minIsr = String.valueOf(Math.min(2, size));
    Map<String, String> settings = new HashMap<>();
    settings.put("controller.quorum.voters", voters);
    settings.put("default.replication.factor", replicas);
    settings.put("min.insync.replicas", minIsr);
    settings.put("offsets.topic.replication.factor", replicas);
    settings.put("transaction.state.log.replication.factor", replicas);
    settings.put("transaction.state.log.min.isr", minIsr);
    settings.put("share.coordinator.state.topic.replication.factor", replicas);
    settings.put("share.coordinator.state.topic.min.isr", minIsr);
    // a killed node is fenced, and leaves the ISR of its partitions, within seconds
    settings.put("broker.heartbeat.interval.ms", "500");
    settings.put("broker.session.timeout.ms", "4000");
    // a killed worker's open transaction is aborted within a second of its timeout, not ten
    settings.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    // three brokers share two cores with the clients under test
    settings.put("num.network.threads", "2");
    settings.put("num.io.threads", "2");
    settings.put("background.threads", "2");
    settings.put("log.cleaner.threads", "1");
    return settings;
  }

  /** Every node's broker address, {@code 127.0.0.1:<port>,...}: what clients bootstrap from. */
  public String bootstrapServers() {
    return nodes.values().stream()
        .map(n -> "127.0.0.1:" + n.brokerPort())
        .collect(Collectors.joining(","));
  }

  /** The node ids, 1 to the cluster's size. */
  public Collection<Integer> nodeIds() {
    return List.copyOf(nodes.keySet());
  }

  /** Whether node {@code id}'s JVM runs. */
  public synchronized boolean isRunning(int id) {
    ChildJvm node = running.get(id);
    return node != null && node.isAlive();
  }

  /** The process id of node {@code id}'s JVM, or empty if it is not running. */
  public synchronized OptionalLong pid(int id) {
    ChildJvm node = running.get(id);
    return node != null && node.isAlive() ? OptionalLong.of(node.pid()) : OptionalLong.empty();
  }

  /** SIGKILL to node {@code id}: no controlled shutdown, nothing flushed. */
  public synchronized void kill(int id) throws InterruptedException {
    ChildJvm node = running.remove(id);
    if (node == null) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    node.kill();
  }

  /** Starts node {@code id} again, on its ports and with its data, and waits until it is ready. */
  public void restart(int id) throws IOException {
    ChildJvm node;
    synchronized (this) {
      if (running.containsKey(id)) {
        throw new IllegalStateException("node " + id + " is running");
      }
      node = launch(id);
    }
    node.awaitReady(NODE_START);
  }

  private synchronized ChildJvm launch(int id) throws IOException {
    Node node = nodes.get(id);
    Path settings = SettingsFiles.write(node.dir().resolve("node.properties"), nodeSettings(id));
    ChildJvm child =
        ChildJvm.launch(
            BrokerMain.class,
            // a directory per start, so that a restarted node's logs do not replace those
            // before its kill (the test log configuration writes test.log beside this file)
            dir.resolve("logs")
                .resolve("node-" + id + "." + starts.merge(id, 1, Integer::sum))
                .resolve("stderr.log"),
            nodeJvm,
            node.dir().toString(),
            String.valueOf(node.brokerPort()),
            String.valueOf(node.controllerPort()),
            clusterId,
            settings.toString());
    running.put(id, child);
    return child;
  }

  private Map<String, Object> nodeSettings(int id) {
    Map<String, Object> settings = new HashMap<>(SettingsFiles.read(settingsFile));
    settings.put("node.id", String.valueOf(id));
    return settings;
  }

  /** The node leading {@code topic}'s partition, or -1 if none does now. */
  public int leaderOf(String topic, int partition) {
    try (Admin admin = admin()) {
      TopicPartitionInfo info =
          admin
              .describeTopics(Set.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .get(partition);
      return info.leader() == null || info.leader().isEmpty() ? -1 : info.leader().id();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot describe " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The node whose controller leads the metadata quorum now. */
  public int activeController() {
    try (Admin admin = admin()) {
      return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot describe the metadata quorum: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until every partition of every topic, internal ones included, has a leader and all its
   * replicas in sync: after a restart, the moment another node may fail without a partition
   * dropping below its min ISR.
   */
  public void awaitInSync(Duration timeout) {
    try (Admin admin = admin()) {
      Awaitility.await("every replica of every partition in sync")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> lagging(admin, Integer.MAX_VALUE).isEmpty());
    }
  }

  /**
   * The partitions, internal ones included, without a leader or with a replica out of sync; for a
   * test's failure message.
   */
  public List<String> partitionsOutOfSync() {
    try (Admin admin = admin()) {
      return lagging(admin, Integer.MAX_VALUE);
    } catch (Exception e) {
      return List.of("cannot tell: " + e);
    }
  }

  /**
   * The partitions, internal ones included, without a leader or with fewer replicas in sync than
   * {@code minInSync}: those refusing writes that need that many; for a test's failure message.
   */
  public List<String> partitionsWithFewerInSync(int minInSync) {
    try (Admin admin = admin()) {
      return lagging(admin, minInSync);
    } catch (Exception e) {
      return List.of("cannot tell: " + e);
    }
  }

  /** Partitions without a leader, or with fewer than {@code minInSync} (or all) in sync. */
  private static List<String> lagging(Admin admin, int minInSync) throws Exception {
    Set<String> names =
        admin
            .listTopics(new ListTopicsOptions().listInternal(true))
            .names()
            .get(10, TimeUnit.SECONDS);
    List<String> lagging = new ArrayList<>();
    for (TopicDescription topic :
        admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
      for (TopicPartitionInfo p : topic.partitions()) {
        if (p.leader() == null
            || p.leader().isEmpty()
            || p.isr().size() < Math.min(minInSync, p.replicas().size())) {
          lagging.add(topic.name() + "-" + p.partition());
        }
      }
    }
    return lagging;
  }

  private Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
  }

  /** Where the nodes keep their data and logs. */
  public Path dir() {
    return dir;
  }

  /**
   * Kills every running node: the cluster's data is a test's and not kept, and a controlled
   * shutdown of the last nodes waits for a quorum that is going away.
   */
  @Override
  public synchronized void close() {
    for (ChildJvm node : running.values()) {
      try {
        node.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
  }
}

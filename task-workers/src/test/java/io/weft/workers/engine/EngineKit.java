package io.weft.workers.engine;

import io.weft.core.api.Coordinator;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WeftTopics;
import io.weft.embedded.WeftStack;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.ConsumerGroups;
import io.weft.workers.api.Worker;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Test kit for the engine's integration tests: one isolated Weft installation (its own topic
 * prefix, coordinator id and directories) on the shared real broker and registry, with coordinators
 * and workers in this JVM or in JVMs of their own, and readers of the committed records for
 * assertions.
 */
public final class EngineKit implements AutoCloseable {

  /**
   * Worker settings that notice a killed group member within seconds (the broker's minimum session
   * timeout), for tests that kill worker JVMs.
   */
  public static final Map<String, Object> FAST_FAILURE_DETECTION =
      Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000");

  private final WeftStack stack;
  private final String prefix;
  private final Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Coordinator coordinator;
  private String queryUrl;
  private WeftClient client;

  public EngineKit(WeftStack stack, String name) {
    this.stack = stack;
    this.prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    this.dir = Path.of(System.getProperty("weft.test.dir", "target/weft-test"), prefix);
  }

  public WeftTopics topics() {
    return new WeftTopics(prefix);
  }

  Map<String, Object> coordinatorSettings() {
    Map<String, Object> settings = new HashMap<>(common());
    settings.put("application.id", prefix + "coordinator");
    settings.put("state.dir", dir.resolve("coordinator-state").toString());
    settings.put("weft.partitions", "6");
    settings.put("commit.interval.ms", "50");
    settings.put("weft.timer.interval.ms", "20");
    // notice a killed instance within seconds (the broker's minimum session timeout)
    settings.put("streams.session.timeout.ms", "6000");
    settings.put("streams.heartbeat.interval.ms", "1000");
    settings.put("streams.fetch.max.wait.ms", "10");
    return settings;
  }

  public Map<String, Object> workerSettings() {
    Map<String, Object> settings = new HashMap<>(common());
    settings.put("worker.artifact.dir", artifactDir().toString());
    settings.put("worker.heartbeat.interval.ms", "1000");
    settings.put("consumer.fetch.max.wait.ms", "10");
    return settings;
  }

  /** Where the broker, the registry and this kit's topics are: what every component needs. */
  public Map<String, Object> connection() {
    return new HashMap<>(common());
  }

  /** The artifact directory the kit's workers share. */
  public Path artifactDir() {
    return dir.resolve("artifacts");
  }

  private Map<String, Object> common() {
    return Map.of(
        "bootstrap.servers",
        stack.bootstrapServers(),
        "schema.registry.url",
        stack.schemaRegistryUrl(),
        "weft.topic.prefix",
        prefix);
  }

  /** A coordinator in this JVM. */
  public EngineKit coordinator() {
    coordinator = Coordinator.start(coordinatorSettings());
    queryUrl = coordinator.queryUrl();
    return this;
  }

  Coordinator inProcessCoordinator() {
    return coordinator;
  }

  /** A coordinator in a JVM of its own. */
  ChildJvm coordinatorProcess() throws IOException {
    ChildJvm child =
        ChildJvm.start(
            CoordinatorProcess.class,
            dir.resolve("coordinator-" + UUID.randomUUID() + ".log"),
            Duration.ofSeconds(120),
            write("coordinator", coordinatorSettings()).toString());
    queryUrl = child.readyLine();
    resetClient();
    closeables.add(child);
    return child;
  }

  /** A worker in this JVM serving the given test handler types. */
  public Worker worker(Map<String, Object> overrides, String... types) {
    Map<String, Object> settings = workerSettings();
    settings.putAll(overrides);
    Worker.Builder builder = Worker.builder(settings);
    for (String type : types) {
      builder.handler(TestHandlers.of(type));
    }
    Worker worker = builder.build().start();
    closeables.add(worker);
    return worker;
  }

  /** A worker in a JVM of its own serving the given test handler types. */
  public ChildJvm workerProcess(Map<String, Object> overrides, String... types) throws IOException {
    Map<String, Object> settings = workerSettings();
    settings.putAll(overrides);
    List<String> args = new ArrayList<>();
    args.add(write("worker-" + UUID.randomUUID(), settings).toString());
    args.addAll(List.of(types));
    ChildJvm child =
        ChildJvm.start(
            WorkerProcess.class,
            dir.resolve("worker-" + UUID.randomUUID() + ".log"),
            Duration.ofSeconds(120),
            args.toArray(String[]::new));
    closeables.add(child);
    return child;
  }

  /**
   * Waits until the worker group of {@code type} is stable with {@code members} members, each
   * assigned some partitions, so that what is dispatched next stays where it starts.
   */
  public void awaitStableGroup(String type, int members) {
    awaitStable(topics().workerGroup(type), members);
  }

  /** Waits until {@code instances} coordinator instances (one thread each) all own partitions. */
  void awaitCoordinatorInstances(int instances) {
    awaitStable((String) coordinatorSettings().get("application.id"), instances);
  }

  private void awaitStable(String group, int members) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      ConsumerGroups.awaitStable(admin, group, members, Duration.ofMinutes(2));
    }
  }

  public WeftClient client() {
    if (client == null) {
      Map<String, Object> settings = new HashMap<>(common());
      settings.put("weft.query.url", queryUrl);
      client = WeftClient.create(settings);
    }
    return client;
  }

  private void resetClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  /** Every committed run event, read from the beginning of the events topic. */
  public List<RunEvent> committedEvents() {
    return readAll(
        topics().events(),
        new AvroDeserializer<>(
            RunEvent.class, Map.of("schema.registry.url", stack.schemaRegistryUrl())),
        r -> true);
  }

  /**
   * The committed events of a finished run, waiting until its final event is committed: a status
   * read through the query API can run ahead of the transaction that records it.
   */
  public List<RunEvent> committedRunLog(String runId) {
    List<List<RunEvent>> found = new ArrayList<>();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              List<RunEvent> log =
                  committedEvents().stream().filter(e -> e.getRunId().equals(runId)).toList();
              found.add(log);
              return log.stream()
                  .anyMatch(
                      e ->
                          e.getEvent() instanceof io.weft.schemas.events.RunSucceeded
                              || e.getEvent() instanceof io.weft.schemas.events.RunFailed
                              || e.getEvent() instanceof io.weft.schemas.events.RunCancelled);
            });
    return found.get(found.size() - 1);
  }

  /** Every committed request on a task type's topic. */
  List<TaskRequest> committedRequests(String type) {
    return readAll(
        topics().tasks(type),
        new AvroDeserializer<>(
            TaskRequest.class, Map.of("schema.registry.url", stack.schemaRegistryUrl())),
        r -> true);
  }

  private <V> List<V> readAll(String topic, Deserializer<V> values, Predicate<V> keep) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    List<V> all = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), values)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null && keep.test(record.value())) {
            all.add(record.value());
          }
        }
      }
    }
    return all;
  }

  private Path write(String name, Map<String, Object> settings) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".properties");
    Properties props = new Properties();
    settings.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    try (Writer out = Files.newBufferedWriter(file)) {
      props.store(out, "written by EngineKit");
    }
    return file;
  }

  @Override
  public void close() throws Exception {
    resetClient();
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }
}

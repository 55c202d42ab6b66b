package io.weft.testkit;

import io.weft.core.api.Coordinator;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WeftTopics;
import io.weft.embedded.WeftStack;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.Worker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;

/**
 * One Weft installation on a running {@link WeftStack}: its own topic prefix and directory, a
 * coordinator and workers in this JVM or in JVMs of their own, a client, and the committed event
 * log to assert on ({@link #eventLog()}). Everything it starts is closed with it, last started
 * first.
 *
 * <pre>{@code
 * try (WeftInstallation weft = WeftInstallation.forTests(stack, "retries")
 *     .withHandlers(new MyHandlers())
 *     .startCoordinator()) {
 *   weft.startWorker(Map.of(), "resize");
 *   String runId = weft.client().startRun("resize-images", 1, Map.of());
 *   assertThat(weft.eventLog().runLog(runId)).last()...;
 * }
 * }</pre>
 */
public final class WeftInstallation implements AutoCloseable {

  /**
   * Coordinator settings for tests: a short commit interval, a fast timer scan, and a killed
   * instance noticed within seconds (the broker's minimum session timeout).
   */
  public static final Map<String, Object> TEST_COORDINATOR =
      Map.of(
          "commit.interval.ms", "50",
          "weft.timer.interval.ms", "20",
          "streams.session.timeout.ms", "6000",
          "streams.heartbeat.interval.ms", "1000",
          "streams.fetch.max.wait.ms", "10");

  /**
   * Settings of every component of a test installation: six partitions for the topics they create
   * (fewer than the default twelve: quicker to create and to rebalance, enough to spread work).
   */
  public static final Map<String, Object> TEST_SHARED = Map.of("weft.partitions", "6");

  /** Worker settings for tests: frequent heartbeats and short fetch waits. */
  public static final Map<String, Object> TEST_WORKER =
      Map.of(
          "worker.heartbeat.interval.ms",
          "1000",
          "consumer.fetch.max.wait.ms",
          "10",
          // a second member's partitions are handed over within two heartbeats: 2 s, not 6
          "consumer.heartbeat.interval.ms",
          "1000");

  /**
   * Worker settings that notice a killed group member within seconds (the broker's minimum session
   * timeout), for tests that kill worker JVMs.
   */
  public static final Map<String, Object> FAST_FAILURE_DETECTION =
      Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000");

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration CHILD_START = Duration.ofSeconds(120);

  private final WeftStack stack;
  private final String bootstrapServers;
  private final String schemaRegistryUrl;
  private final String prefix;
  private final Path dir;
  private final Map<String, Object> shared = new HashMap<>();
  private final Map<String, Object> coordinatorOverrides = new HashMap<>();
  private final Map<String, Object> workerOverrides = new HashMap<>();
  private final List<AutoCloseable> started = new ArrayList<>();
  private final AtomicInteger workerCount = new AtomicInteger();
  private HandlerFactory handlers = new HandlerFactory.ServiceLoaded();
  private List<String> childJvmOptions = List.of("-Xmx512m");
  private Coordinator coordinator;
  private String queryUrl;
  private WeftClient client;

  private WeftInstallation(
      WeftStack stack, String bootstrapServers, String schemaRegistryUrl, String prefix, Path dir) {
    this.stack = stack;
    this.bootstrapServers = bootstrapServers;
    this.schemaRegistryUrl = schemaRegistryUrl;
    this.prefix = prefix;
    this.dir = dir;
  }

  /**
   * An installation with the engine's default settings, topics under {@code prefix} and files under
   * {@code dir}: what the embedded mode and the benchmarks run.
   */
  public static WeftInstallation create(WeftStack stack, String prefix, Path dir) {
    return new WeftInstallation(
        stack,
        stack.bootstrapServers(),
        stack.schemaRegistryUrl(),
        new WeftTopics(prefix).prefix(),
        dir);
  }

  /**
   * As {@link #create(WeftStack, String, Path)}, on the brokers at {@code bootstrapServers} (a
   * {@link KafkaCluster}'s, say) and the registry at {@code schemaRegistryUrl}.
   */
  public static WeftInstallation create(
      String bootstrapServers, String schemaRegistryUrl, String prefix, Path dir) {
    return new WeftInstallation(
        null, bootstrapServers, schemaRegistryUrl, new WeftTopics(prefix).prefix(), dir);
  }

  /**
   * An installation for a test: a unique topic prefix starting with {@code name}, its files under
   * the {@code weft.test.dir} system property, and the {@link #TEST_SHARED}, {@link
   * #TEST_COORDINATOR} and {@link #TEST_WORKER} settings.
   */
  public static WeftInstallation forTests(WeftStack stack, String name) {
    return forTests(stack, stack.bootstrapServers(), stack.schemaRegistryUrl(), name);
  }

  /**
   * As {@link #forTests(WeftStack, String)}, on the brokers at {@code bootstrapServers} (a {@link
   * KafkaCluster}'s, say) and the registry at {@code schemaRegistryUrl}.
   */
  public static WeftInstallation forTests(
      String bootstrapServers, String schemaRegistryUrl, String name) {
    return forTests(null, bootstrapServers, schemaRegistryUrl, name);
  }

  private static WeftInstallation forTests(
      WeftStack stack, String bootstrapServers, String schemaRegistryUrl, String name) {
    String prefix =
        name
            + "-"
            + COUNTER.incrementAndGet()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8)
            + ".";
    Path dir = Path.of(System.getProperty("weft.test.dir", "target/weft-test"), prefix);
    return new WeftInstallation(stack, bootstrapServers, schemaRegistryUrl, prefix, dir)
        .withSharedSettings(TEST_SHARED)
        .withCoordinatorSettings(TEST_COORDINATOR)
        .withWorkerSettings(TEST_WORKER);
  }

  /**
   * Adds settings of every component (coordinator, workers, clients), such as {@code
   * weft.partitions}, over those given before.
   */
  public WeftInstallation withSharedSettings(Map<String, ?> settings) {
    shared.putAll(settings);
    return this;
  }

  /** Adds coordinator settings, over those given before. */
  public WeftInstallation withCoordinatorSettings(Map<String, ?> settings) {
    coordinatorOverrides.putAll(settings);
    return this;
  }

  /** Adds settings of every worker, over those given before. */
  public WeftInstallation withWorkerSettings(Map<String, ?> settings) {
    workerOverrides.putAll(settings);
    return this;
  }

  /** Where workers started by task type get their handlers; by default {@code ServiceLoader}. */
  public WeftInstallation withHandlers(HandlerFactory handlers) {
    this.handlers = handlers;
    return this;
  }

  /** The JVM options of child JVMs (by default {@code -Xmx512m}). */
  public WeftInstallation withChildJvmOptions(List<String> options) {
    this.childJvmOptions = List.copyOf(options);
    return this;
  }

  /** The stack it runs on, or null for an installation on other brokers. */
  public WeftStack stack() {
    return stack;
  }

  /** The brokers' addresses. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  public WeftTopics topics() {
    return new WeftTopics(prefix);
  }

  public Path dir() {
    return dir;
  }

  /** The directory the workers share for artifacts ({@code worker.artifact.dir}). */
  public Path artifactDir() {
    return dir.resolve("artifacts");
  }

  /** Where the broker, the registry and the topics are: what every component needs; mutable. */
  public Map<String, Object> connection() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", bootstrapServers);
    settings.put("schema.registry.url", schemaRegistryUrl);
    settings.put("weft.topic.prefix", prefix);
    settings.putAll(shared);
    return settings;
  }

  /** The coordinator's application id. */
  public String applicationId() {
    return prefix + "coordinator";
  }

  /** The settings a coordinator of this installation starts with; mutable. */
  public Map<String, Object> coordinatorSettings() {
    Map<String, Object> settings = connection();
    settings.put("application.id", applicationId());
    settings.put("state.dir", dir.resolve("coordinator-state").toString());
    settings.putAll(coordinatorOverrides);
    return settings;
  }

  /** The settings a worker of this installation starts with; mutable. */
  public Map<String, Object> workerSettings() {
    Map<String, Object> settings = connection();
    settings.put("worker.artifact.dir", artifactDir().toString());
    settings.putAll(workerOverrides);
    return settings;
  }

  /** Client settings, with the query API of the running coordinator if there is one; mutable. */
  public Map<String, Object> clientSettings() {
    Map<String, Object> settings = connection();
    if (queryUrl != null) {
      settings.put("weft.query.url", queryUrl);
    }
    return settings;
  }

  /** Writes {@code settings} to a properties file {@code name} in this installation's dir. */
  public Path writeSettings(String name, Map<String, ?> settings) {
    return SettingsFiles.write(dir.resolve(name), settings);
  }

  /** Starts a coordinator in this JVM. */
  public WeftInstallation startCoordinator() {
    coordinator = Coordinator.start(coordinatorSettings());
    queryUrl = coordinator.queryUrl();
    resetClient();
    return this;
  }

  /** The coordinator started in this JVM, or null. */
  public Coordinator coordinator() {
    return coordinator;
  }

  /** Stops the coordinator started in this JVM. */
  public void stopCoordinator() {
    coordinator.close();
    coordinator = null;
  }

  /** Starts a coordinator in a JVM of its own and waits until it is ready. */
  public ChildJvm startCoordinatorProcess() throws IOException {
    String id = UUID.randomUUID().toString();
    ChildJvm child =
        ChildJvm.start(
            CoordinatorMain.class,
            dir.resolve("coordinator-" + id + ".log"),
            childJvmOptions,
            CHILD_START,
            writeSettings("coordinator-" + id + ".properties", coordinatorSettings()).toString());
    started.add(child);
    queryUrl = child.readyLine();
    resetClient();
    return child;
  }

  /** The query API's URL of the coordinator started last, or null. */
  public String queryUrl() {
    return queryUrl;
  }

  /** Starts a worker in this JVM serving {@code types} with the installation's handlers. */
  public Worker startWorker(Map<String, ?> overrides, String... types) {
    TaskHandler[] typeHandlers = new TaskHandler[types.length];
    for (int i = 0; i < types.length; i++) {
      typeHandlers[i] = handlers.handler(types[i]);
    }
    return startWorker(overrides, typeHandlers);
  }

  /**
   * Starts a worker in this JVM serving {@code typeHandlers}; without a {@code worker.id} among the
   * settings it gets one of its own ({@code <prefix>worker-<n>}), as workers in one JVM must.
   */
  public Worker startWorker(Map<String, ?> overrides, TaskHandler... typeHandlers) {
    Map<String, Object> settings = workerSettings();
    settings.putAll(overrides);
    settings.putIfAbsent("worker.id", prefix + "worker-" + workerCount.incrementAndGet());
    Worker.Builder builder = Worker.builder(settings);
    for (TaskHandler handler : typeHandlers) {
      builder.handler(handler);
    }
    Worker worker = builder.build().start();
    started.add(worker);
    return worker;
  }

  /**
   * Starts a worker in a JVM of its own serving {@code types} with a new instance of the
   * installation's handler factory class, and returns at once; {@link ChildJvm#awaitReady} waits.
   */
  public ChildJvm launchWorkerProcess(Map<String, ?> overrides, String... types)
      throws IOException {
    Map<String, Object> settings = workerSettings();
    settings.putAll(overrides);
    String id = UUID.randomUUID().toString();
    List<String> args = new ArrayList<>();
    args.add(writeSettings("worker-" + id + ".properties", settings).toString());
    args.add(handlers.getClass().getName());
    args.addAll(List.of(types));
    ChildJvm child =
        ChildJvm.launch(
            WorkerMain.class,
            dir.resolve("worker-" + id + ".log"),
            childJvmOptions,
            args.toArray(String[]::new));
    started.add(child);
    return child;
  }

  /** {@link #launchWorkerProcess}, then waits until it serves. */
  public ChildJvm startWorkerProcess(Map<String, ?> overrides, String... types) throws IOException {
    ChildJvm child = launchWorkerProcess(overrides, types);
    child.awaitReady(CHILD_START);
    return child;
  }

  /** Closes {@code component} with this installation. */
  public <T extends AutoCloseable> T closeWith(T component) {
    started.add(component);
    return component;
  }

  /** A client of this installation, asking the coordinator started last. */
  public WeftClient client() {
    if (client == null) {
      client = WeftClient.create(clientSettings());
    }
    return client;
  }

  /** The committed records of this installation's topics. */
  public EventLog eventLog() {
    return new EventLog(bootstrapServers, schemaRegistryUrl, topics());
  }

  /**
   * Waits until the worker group of {@code type} is stable with {@code members} members, each
   * assigned some partitions, so that what is dispatched next stays where it starts.
   */
  public void awaitStableGroup(String type, int members) {
    awaitStable(topics().workerGroup(type), members);
  }

  /** Waits until {@code instances} coordinator instances (one thread each) all own partitions. */
  public void awaitCoordinatorInstances(int instances) {
    awaitStable(applicationId(), instances);
  }

  private void awaitStable(String group, int members) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      ConsumerGroups.awaitStable(admin, group, members, Duration.ofMinutes(2));
    }
  }

  private void resetClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  /**
   * Closes everything this installation started, last started first, even if some fail to close.
   *
   * @throws IllegalStateException if any failed to close, with their exceptions
   */
  @Override
  public void close() {
    resetClient();
    IllegalStateException failure = null;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Closing the installation " + prefix + " failed");
        }
        failure.addSuppressed(e);
      }
    }
    started.clear();
    if (coordinator != null) {
      coordinator.close();
      coordinator = null;
    }
    if (failure != null) {
      throw failure;
    }
  }
}

package io.weft.embedded;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Kafka broker and schema registry, the infrastructure every Weft process needs. Used by
 * integration tests and by the embedded mode of the {@code weft} command.
 *
 * <p>Stopping is idempotent and also runs from a JVM shutdown hook, so an interrupted JVM leaves no
 * broker data lock or registry process behind.
 */
public final class WeftStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WeftStack.class);

  private final Path workDir;
  private final EmbeddedKafka kafka;
  private final EmbeddedSchemaRegistry registry;
  private final Thread shutdownHook;
  private final Deque<AutoCloseable> dependents = new ArrayDeque<>();
  private boolean closed;

  private WeftStack(Path workDir, EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
    this.workDir = workDir;
    this.kafka = kafka;
    this.registry = registry;
    this.shutdownHook = new Thread(this::stop, "weft-stack-shutdown");
  }

  /**
   * Starts the broker (data in {@code workDir/kafka}) and the registry (log in {@code
   * workDir/registry}, distribution unpacked under {@code distributionHome}).
   */
  public static WeftStack start(Path workDir, Path distributionHome) {
    return start(workDir, distributionHome, Map.of());
  }

  /** As {@link #start(Path, Path)}, with extra broker settings. */
  public static WeftStack start(
      Path workDir, Path distributionHome, Map<String, String> brokerOverrides) {
    long started = System.nanoTime();
    // the registry is a separate process: let it boot while the broker starts here
    RegistryStarter registryStarter =
        new RegistryStarter(workDir.resolve("registry"), distributionHome);
    registryStarter.start();
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(workDir.resolve("kafka"), brokerOverrides);
    } catch (RuntimeException e) {
      registryStarter.await().close();
      throw e;
    }
    EmbeddedSchemaRegistry registry;
    try {
      registry = registryStarter.await();
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    WeftStack stack = new WeftStack(workDir, kafka, registry);
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    log.info(
        "Weft stack up in {} ms: bootstrap {} registry {}",
        (System.nanoTime() - started) / 1_000_000,
        kafka.bootstrapServers(),
        registry.url());
    return stack;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String schemaRegistryUrl() {
    return registry.url();
  }

  /**
   * Creates a topic (replication factor 1) and waits until every partition has a leader, since a
   * record produced before that may be lost. An existing topic is left as it is.
   */
  public void createTopic(String name, int partitions) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      try {
        admin
            .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new EmbeddedException("Cannot create topic " + name, e.getCause());
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!hasLeaders(admin, name)) {
        if (System.nanoTime() > deadline) {
          throw new EmbeddedException(
              "Topic " + name + " has partitions without a leader after 30 s");
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedException("Interrupted while creating topic " + name, e);
    } catch (TimeoutException e) {
      throw new EmbeddedException("Creating topic " + name + " timed out", e);
    }
  }

  private static boolean hasLeaders(Admin admin, String topic) throws InterruptedException {
    try {
      return admin
          .describeTopics(Set.of(topic))
          .allTopicNames()
          .get(10, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .stream()
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /**
   * Registers something that runs on this stack (a coordinator, a worker) to be closed before the
   * broker and registry stop, by {@link #close()} or by the JVM's shutdown hook alike. Dependents
   * close in the reverse order of registration.
   */
  public synchronized void closeFirst(AutoCloseable dependent) {
    if (closed) {
      throw new IllegalStateException("the stack is already stopped");
    }
    dependents.push(dependent);
  }

  public Path workDir() {
    return workDir;
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedSchemaRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook is running or has run
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    while (!dependents.isEmpty()) {
      AutoCloseable dependent = dependents.pop();
      try {
        dependent.close();
      } catch (Exception e) {
        log.warn("Closing {} before the stack stops failed", dependent, e);
      }
    }
    registry.close();
    kafka.close();
  }

  /** Starts the registry on its own thread so that it boots while the broker starts. */
  private static final class RegistryStarter extends Thread {
    private final Path workDir;
    private final Path distributionHome;
    private volatile EmbeddedSchemaRegistry registry;
    private volatile RuntimeException failure;

    RegistryStarter(Path workDir, Path distributionHome) {
      super("weft-registry-starter");
      this.workDir = workDir;
      this.distributionHome = distributionHome;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        registry = EmbeddedSchemaRegistry.start(workDir, distributionHome);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    EmbeddedSchemaRegistry await() {
      try {
        join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedException("Interrupted while starting the schema registry", e);
      }
      if (failure != null) {
        throw failure;
      }
      return registry;
    }
  }
}

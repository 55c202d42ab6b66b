package io.weft.it;

import io.weft.embedded.Directories;
import io.weft.embedded.WeftStack;
import io.weft.testkit.KafkaCluster;
import io.weft.testkit.WeftInstallation;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test a running three-node {@link KafkaCluster} (replication factor 3, min ISR 2), started
 * on first use and shared by the test classes of this JVM, killed when the test run ends. A test
 * that kills nodes starts them again and waits until every replica is in sync before it ends, so
 * that the next one finds the whole cluster.
 */
final class ClusterExtension implements ParameterResolver {

  /**
   * The offsets of a consumer group left empty expire after a minute (the least the broker takes),
   * checked every second: what a test of offset expiry waits for. The other tests' groups have
   * members while they run.
   */
  static final Map<String, String> BROKER_SETTINGS =
      Map.of("offsets.retention.minutes", "1", "offsets.retention.check.interval.ms", "1000");

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Running.class, key -> new Running(start()), Running.class)
        .cluster();
  }

  /**
   * An installation for a test on {@code cluster}, with the registry of {@code stack}: its topics
   * with three replicas and a min ISR of two, as Weft's docs advise on three brokers.
   */
  static WeftInstallation installation(WeftStack stack, KafkaCluster cluster, String name) {
    return WeftInstallation.forTests(cluster.bootstrapServers(), stack.schemaRegistryUrl(), name)
        .withSharedSettings(
            Map.of("weft.replication.factor", "3", "weft.min.insync.replicas", "2"));
  }

  private static KafkaCluster start() {
    Path dir = Path.of(System.getProperty("weft.test.dir", "target/weft-test"), "cluster");
    Directories.deleteRecursively(dir);
    return KafkaCluster.start(dir, 3, BROKER_SETTINGS);
  }

  /** Closed by JUnit when the root context closes, after the last test. */
  private record Running(KafkaCluster cluster)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }
}

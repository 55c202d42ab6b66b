package io.weft.testkit;

import io.weft.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One node of a {@link KafkaCluster} in a JVM of its own: {@code BrokerMain <data dir> <broker
 * port> <controller port> <cluster id> <settings.properties>} formats the directory if it is new,
 * starts a combined broker and controller, prints {@code READY <node id>} and stops cleanly on
 * SIGTERM. SIGKILL is the crash a test wants.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws InterruptedException {
    try {
      Map<String, String> settings = new HashMap<>();
      SettingsFiles.read(Path.of(args[4]))
          .forEach((key, value) -> settings.put(key, value.toString()));
      EmbeddedKafka broker =
          EmbeddedKafka.startOnPorts(
              Path.of(args[0]),
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              args[3],
              settings);
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-stop"));
      ChildJvm.announce(settings.get("node.id"));
    } catch (Throwable e) { // NOPMD: a child process that cannot start must exit, not hang
      e.printStackTrace();
      System.exit(1);
    }
    new CountDownLatch(1).await();
  }
}

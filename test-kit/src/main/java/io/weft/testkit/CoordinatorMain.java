package io.weft.testkit;

import io.weft.core.api.Coordinator;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A coordinator in a JVM of its own: {@code CoordinatorMain <settings.properties>} prints {@code
 * READY <query URL>} once started and closes gracefully on SIGTERM.
 */
public final class CoordinatorMain {

  private CoordinatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    try {
      Coordinator coordinator = Coordinator.start(SettingsFiles.read(Path.of(args[0])));
      Runtime.getRuntime().addShutdownHook(new Thread(coordinator::close, "coordinator-stop"));
      ChildJvm.announce(coordinator.queryUrl());
    } catch (Throwable e) { // NOPMD: a child process that cannot start must exit, not hang
      e.printStackTrace();
      System.exit(1);
    }
    new CountDownLatch(1).await();
  }
}

package io.weft.workers.engine;

import io.weft.core.api.Coordinator;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Test main: a coordinator in its own JVM, configured by a properties file; prints its query URL.
 */
public final class CoordinatorProcess {

  private CoordinatorProcess() {}

  public static void main(String[] args) throws InterruptedException {
    try {
      serve(args);
    } catch (Throwable e) { // NOPMD: a test process that cannot start must exit, not hang
      e.printStackTrace();
      System.exit(1);
    }
    new CountDownLatch(1).await();
  }

  private static void serve(String[] args) throws IOException {
    Coordinator coordinator = Coordinator.start(load(Path.of(args[0])));
    Runtime.getRuntime().addShutdownHook(new Thread(coordinator::close));
    ChildJvm.announce(coordinator.queryUrl());
  }

  static Map<String, Object> load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    }
    Map<String, Object> settings = new HashMap<>();
    props.forEach((k, v) -> settings.put((String) k, v));
    return settings;
  }
}

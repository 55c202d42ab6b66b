package io.weft.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** Test helper run in its own JVM: starts a registry, prints its pids, then waits to be killed. */
public final class RegistryParentMain {

  static final String PIDS = "PIDS ";

  private RegistryParentMain() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.start(Path.of(args[0]), Path.of(args[1]));
    System.out.println(
        PIDS + registry.pids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
    System.out.flush();
    new CountDownLatch(1).await();
  }
}

package io.weft.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks a long-running command until the JVM is asked to stop (SIGTERM, Ctrl-C). */
final class UntilStopped {

  private UntilStopped() {}

  /** Runs {@code close} on shutdown, and returns once it has. */
  static void await(String name, Runnable close) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    close.run();
                  } finally {
                    closed.countDown();
                  }
                },
                name + "-stop"));
    closed.await();
  }
}

package io.weft.workers.engine;

import io.weft.workers.api.Worker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Test main: a worker in its own JVM serving the test handler types given after the config file.
 */
public final class WorkerProcess {

  private WorkerProcess() {}

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
    Worker.Builder builder = Worker.builder(CoordinatorProcess.load(Path.of(args[0])));
    for (int i = 1; i < args.length; i++) {
      builder.handler(TestHandlers.of(args[i]));
    }
    Worker worker = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
    ChildJvm.announce(worker.workerId());
  }
}

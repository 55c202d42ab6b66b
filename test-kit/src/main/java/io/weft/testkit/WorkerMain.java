package io.weft.testkit;

import io.weft.workers.api.Worker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in a JVM of its own: {@code WorkerMain <settings.properties> <HandlerFactory class>
 * <type>...} serves each type with the factory's handler, prints {@code READY <worker id>} once
 * serving and closes gracefully on SIGTERM.
 */
public final class WorkerMain {

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 3) {
      System.err.println(
          "Usage: WorkerMain <settings.properties> <HandlerFactory class> <type>...");
      System.exit(2);
    }
    try {
      HandlerFactory handlers =
          (HandlerFactory) Class.forName(args[1]).getDeclaredConstructor().newInstance();
      Worker.Builder builder = Worker.builder(SettingsFiles.read(Path.of(args[0])));
      for (int i = 2; i < args.length; i++) {
        builder.handler(handlers.handler(args[i]));
      }
      Worker worker = builder.build().start();
      Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-stop"));
      ChildJvm.announce(worker.workerId());
    } catch (Throwable e) { // NOPMD: a child process that cannot start must exit, not hang
      e.printStackTrace();
      System.exit(1);
    }
    new CountDownLatch(1).await();
  }
}

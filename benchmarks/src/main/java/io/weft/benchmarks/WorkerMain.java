package io.weft.benchmarks;

import io.weft.workers.api.Worker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * A benchmark worker in a JVM of its own: {@code WorkerMain <settings.properties> <task type>}
 * serves the type with the CPU-light handler, prints {@code READY <worker id>} once serving, and
 * closes gracefully on SIGTERM.
 */
public final class WorkerMain {

  /** The line a started worker prints, followed by its id. */
  public static final String READY = "READY ";

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("Usage: WorkerMain <settings.properties> <task type>");
      System.exit(2);
    }
    try {
      Worker worker =
          Worker.builder(load(Path.of(args[0]))).handler(Handlers.light(args[1])).build().start();
      Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "bench-worker-stop"));
      PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
      out.println(READY + worker.workerId());
    } catch (Throwable e) { // NOPMD: a worker process that cannot start must exit, not hang
      e.printStackTrace();
      System.exit(1);
    }
    new CountDownLatch(1).await();
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

package io.weft.workers.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test kit: a Weft process (coordinator or worker) in a JVM of its own, so that a test can kill it
 * with SIGKILL. It shares the test's classpath; its log goes to a file under the test directory.
 */
public final class ChildJvm implements AutoCloseable {

  static final String READY = "READY ";

  private final Process process;
  private final String readyLine;

  private ChildJvm(Process process, String readyLine) {
    this.process = process;
    this.readyLine = readyLine;
  }

  /** Starts {@code main} with {@code args} and waits for its {@code READY ...} line. */
  static ChildJvm start(Class<?> main, Path logFile, Duration timeout, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", ""));
    command.add("-Dweft.test.dir=" + logFile.getParent());
    for (String property : new String[] {"ai.djl.offline", "DJL_CACHE_DIR"}) {
      if (System.getProperty(property) != null) {
        command.add("-D" + property + "=" + System.getProperty(property));
      }
    }
    command.add(main.getName());
    command.addAll(List.of(args));
    Files.createDirectories(logFile.getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith(READY)) {
                    return line.substring(READY.length());
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    try {
      String line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new IOException(main.getSimpleName() + " exited before it was ready; see " + logFile);
      }
      return new ChildJvm(process, line);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException(main.getSimpleName() + " did not start: " + e + "; see " + logFile, e);
    }
  }

  /** What the process printed after {@code READY }. */
  public String readyLine() {
    return readyLine;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Asks the process to stop (SIGTERM) and waits for it. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Prints the ready line; for the mains. */
  static void announce(String what) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    out.println(READY + what);
  }
}

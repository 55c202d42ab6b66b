package io.weft.testkit;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Weft process (a coordinator or a worker) in a JVM of its own, on this JVM's classpath, so that
 * a test can kill it with SIGKILL or a benchmark can run workers side by side. Its standard error
 * goes to a log file; it announces itself with a {@code READY ...} line on standard output.
 *
 * <p>Start several with {@link #launch} before calling {@link #awaitReady} on each, so that they
 * boot at the same time.
 */
public final class ChildJvm implements AutoCloseable {

  static final String READY = "READY ";

  private static final List<String> INHERITED_PROPERTIES =
      List.of("log4j2.configurationFile", "ai.djl.offline", "DJL_CACHE_DIR");

  private final String name;
  private final Process process;
  private final Path log;
  private final CompletableFuture<String> ready;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.ready = CompletableFuture.supplyAsync(() -> readyLine(out));
  }

  /**
   * Starts {@code main} with {@code args} and returns at once.
   *
   * @param jvmOptions options such as {@code -Xmx256m}, placed before the main class
   */
  public static ChildJvm launch(Class<?> main, Path log, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> options = new ArrayList<>(jvmOptions);
    options.add("-Dweft.test.dir=" + log.toAbsolutePath().getParent());
    List<String> command = javaCommand(main.getName(), options, args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new ChildJvm(main.getSimpleName(), process, log);
  }

  /**
   * The command line that runs {@code mainClass} on this JVM's classpath, with {@code jvmOptions}
   * and the settings a Weft process under test inherits from this one: the log configuration and
   * DJL's offline mode and natives cache.
   */
  public static List<String> javaCommand(
      String mainClass, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    for (String property : INHERITED_PROPERTIES) {
      if (System.getProperty(property) != null) {
        command.add("-D" + property + "=" + System.getProperty(property));
      }
    }
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /** {@link #launch}, then {@link #awaitReady}. */
  public static ChildJvm start(
      Class<?> main, Path log, List<String> jvmOptions, Duration timeout, String... args)
      throws IOException {
    ChildJvm child = launch(main, log, jvmOptions, args);
    child.awaitReady(timeout);
    return child;
  }

  /**
   * Waits for the {@code READY} line and returns what followed it; kills the process if it does not
   * come.
   */
  public String awaitReady(Duration timeout) throws IOException {
    try {
      String line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new IOException(name + " exited before it was ready; see " + log);
      }
      return line;
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException(name + " did not start: " + e + "; see " + log, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while " + name + " started", e);
    }
  }

  /** What the process printed after {@code READY }, once it has. */
  public String readyLine() {
    return ready.getNow(null);
  }

  /** The file its standard error goes to. */
  public Path log() {
    return log;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGSTOP: the process stops where it is, as after a long GC pause or a network partition,
   * keeping its connections; {@link #resume} lets it go on.
   */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process id, to read what the operating system says of it (its memory, say). */
  public long pid() {
    return process.pid();
  }

  /** Asks the process to stop (SIGTERM) and waits for it; kills it after 30 s. */
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

  private static String readyLine(BufferedReader out) {
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
  }
}

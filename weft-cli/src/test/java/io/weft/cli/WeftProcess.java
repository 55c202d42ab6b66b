package io.weft.cli;

import static org.awaitility.Awaitility.await;

import io.weft.embedded.RegistryDistribution;
import io.weft.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weft command in a JVM of its own, as a user starts it: its standard output collected line by
 * line, its standard error and log in files under its directory, stopped with SIGTERM as Ctrl-C
 * would.
 */
final class WeftProcess implements AutoCloseable {

  private final Process process;
  private final Path dir;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private WeftProcess(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
    this.reader = new Thread(this::readOutput, "weft-process-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code weft args...} on this test's classpath, with {@code env} added to the
   * environment; its files go under {@code dir}.
   */
  static WeftProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
    Files.createDirectories(dir);
    // the registry's runner as the build unpacked it, rather than unpacking it again
    Path registryHome =
        Path.of(System.getProperty("weft.registry.home", "target/weft-test/registry-dist"));
    List<String> command =
        ChildJvm.javaCommand(
            Weft.class.getName(),
            List.of(
                "-Dweft.test.dir=" + dir.toAbsolutePath(),
                "-D"
                    + RegistryDistribution.JAR_PROPERTY
                    + "="
                    + RegistryDistribution.runnerJar(registryHome)),
            args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("WEFT_"));
    builder.environment().putAll(env);
    return new WeftProcess(builder.start(), dir);
  }

  private void readOutput() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first group of {@code pattern} in the first output line it matches, waiting for it. */
  String awaitOutput(Pattern pattern, Duration timeout) {
    String[] found = new String[1];
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .failFast("weft exited: " + this, () -> !process.isAlive())
        .until(
            () -> {
              for (String line : lines) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                  found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  /**
   * Waits for the process to exit by itself and returns its exit code, with its output read to the
   * end (bounded, in case a child process it started still holds the pipe).
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("weft still running after " + timeout + ": " + this);
    }
    reader.join(Duration.ofSeconds(5).toMillis());
    return process.exitValue();
  }

  /** Sends SIGTERM (what Ctrl-C does to the JVM's shutdown) and waits until the process exits. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<String> output() {
    return List.copyOf(lines);
  }

  String errors() {
    try {
      return Files.readString(dir.resolve("stderr.txt"));
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "stdout " + output() + ", stderr " + errors();
  }
}

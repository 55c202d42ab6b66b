package io.weft.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WorkerMain} in a JVM of its own, on this JVM's classpath, its log in a file. Start
 * several with {@link #launch} before {@link #awaitReady} so that they boot side by side.
 */
final class ChildWorker implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final CompletableFuture<String> ready;

  private ChildWorker(Process process, Path log) {
    this.process = process;
    this.log = log;
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith(WorkerMain.READY)) {
                    return line.substring(WorkerMain.READY.length());
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
  }

  /** Starts the process; returns at once. */
  static ChildWorker launch(Path dir, String name, Map<String, Object> settings, String type)
      throws IOException {
    Files.createDirectories(dir);
    Path settingsFile = dir.resolve(name + ".properties");
    Properties props = new Properties();
    settings.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    try (Writer out = Files.newBufferedWriter(settingsFile)) {
      props.store(out, "benchmark worker");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    String logConfig = System.getProperty("log4j2.configurationFile");
    if (logConfig != null) {
      command.add("-Dlog4j2.configurationFile=" + logConfig);
    }
    command.add("-Dbench.log.dir=" + dir.resolve(name));
    command.add("-Dweft.test.dir=" + dir.resolve(name));
    command.add(WorkerMain.class.getName());
    command.add(settingsFile.toString());
    command.add(type);
    Path log = dir.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    return new ChildWorker(process, log);
  }

  /** Waits for the {@code READY} line. */
  void awaitReady(Duration timeout) throws IOException {
    try {
      String id = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (id == null) {
        throw new IOException("Benchmark worker exited before it was ready; see " + log);
      }
    } catch (IOException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new IOException("Benchmark worker did not start: " + e + "; see " + log, e);
    }
  }

  /** Asks the worker to stop (SIGTERM) and waits for it. */
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
}

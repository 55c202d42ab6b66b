package io.weft.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry running as a child process on a free loopback port, serving the
 * Confluent Schema Registry API at {@link #url()}. Global compatibility is set to BACKWARD.
 *
 * <p>The registry dies with this JVM, however it ends: it is started under a small shell guard that
 * reads the guard's standard input, a pipe from this JVM. When this JVM exits, even by {@code kill
 * -9}, the pipe closes, the guard reads end-of-file and stops the registry.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  private static final String API_PATH = "/apis/ccompat/v7";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final int START_ATTEMPTS = 3;
  private static final String GUARD =
      // the registry runs until the guard's stdin closes (its parent JVM ended, even by kill -9)
      // or the guard is told to stop; the guard ends with the registry, so a registry that
      // cannot start is noticed at once. A background list reads /dev/null unless redirected.
      "exec 3<&0\n"
          + "\"$@\" & child=$!\n"
          + "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT HUP\n"
          + "(cat <&3 > /dev/null; kill $child 2>/dev/null) &\n"
          + "wait $child\n";

  private final Process guard;
  private final String url;
  private final Path logFile;
  private boolean stopped;

  private EmbeddedSchemaRegistry(Process guard, String url, Path logFile) {
    this.guard = guard;
    this.url = url;
    this.logFile = logFile;
  }

  /**
   * Starts the registry with its log in {@code workDir}, unpacking its distribution under {@code
   * distributionHome} if needed, and waits until its API answers.
   */
  public static EmbeddedSchemaRegistry start(Path workDir, Path distributionHome) {
    Path jar = RegistryDistribution.runnerJar(distributionHome.toAbsolutePath());
    EmbeddedException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return tryStart(jar.toAbsolutePath(), workDir.toAbsolutePath(), FreePorts.next());
      } catch (EmbeddedException e) {
        last = e;
        log.warn("Schema registry start attempt {} failed: {}", attempt, e.getMessage());
      }
    }
    throw last;
  }

  private static EmbeddedSchemaRegistry tryStart(Path jar, Path workDir, int port) {
    Path logFile = workDir.resolve("schema-registry.log");
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", GUARD, "weft-registry-guard"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.log.level=WARN",
            "-Dquarkus.log.category.\"io.apicurio\".level=WARN",
            "-Dquarkus.analytics.disabled=true",
            "-jar",
            jar.toString()));
    Process guard;
    try {
      Files.createDirectories(workDir);
      guard =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new EmbeddedException("Cannot start the schema registry from " + jar, e);
    }
    String url = "http://127.0.0.1:" + port + API_PATH;
    EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(guard, url, logFile);
    try {
      registry.awaitReady();
      registry.put("/config", "{\"compatibility\":\"BACKWARD\"}");
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    log.info("Schema registry ready at {} (log: {})", url, logFile);
    return registry;
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(url + "/subjects"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!guard.isAlive()) {
        throw new EmbeddedException(
            "Schema registry exited with code "
                + guard.exitValue()
                + " before it was ready; see "
                + logFile);
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedException("Interrupted while waiting for the schema registry", e);
      }
      pause(200);
    }
    throw new EmbeddedException(
        "Schema registry at " + url + " not ready after " + READY_TIMEOUT + "; see " + logFile);
  }

  private void put(String path, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new EmbeddedException(
            "PUT " + path + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new EmbeddedException("PUT " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedException("Interrupted during PUT " + path, e);
    }
  }

  private static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedException("Interrupted while waiting for the schema registry", e);
    }
  }

  /**
   * The Confluent-compatible API's base URL, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}.
   */
  public String url() {
    return url;
  }

  /** The registry's log file. */
  public Path logFile() {
    return logFile;
  }

  /** The registry's process id (the registry JVM, not its guard), if it is running. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    if (guard.isAlive()) {
      pids.add(guard.pid());
    }
    guard.descendants().filter(ProcessHandle::isAlive).forEach(p -> pids.add(p.pid()));
    return pids;
  }

  /** Stops the registry and its guard and waits for both to exit. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    List<ProcessHandle> children = guard.descendants().toList();
    try (OutputStream stdin = guard.getOutputStream()) {
      stdin.flush(); // closing the guard's stdin tells it to stop the registry
    } catch (IOException e) {
      log.debug("Closing the registry guard's input failed: {}", e.toString());
    }
    try {
      if (!guard.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Schema registry did not stop within {}; killing it", STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    guard.destroyForcibly();
    awaitExit(children);
    awaitExit(List.of(guard.toHandle()));
    log.info("Schema registry at {} stopped", url);
  }

  /** Waits (bounded) until the killed processes are gone: destroyForcibly only sends the signal. */
  private static void awaitExit(List<ProcessHandle> processes) {
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        log.warn("Process {} of the schema registry did not exit: {}", process.pid(), e.toString());
      }
    }
  }
}

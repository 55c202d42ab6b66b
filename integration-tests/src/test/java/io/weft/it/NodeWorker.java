package io.weft.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Node.js worker of {@code examples/node-worker} as a child process: installed with {@code npm
 * ci} into a copy under {@code target/} (npm's cache there too, not in the user's home), started
 * with {@code node worker.js} against a test's broker and registry, and stopped with SIGTERM (then
 * killed if it lingers).
 */
final class NodeWorker implements AutoCloseable {

  /** The example's sources, from the integration tests' module directory. */
  static final Path EXAMPLE =
      Path.of(System.getProperty("user.dir")).resolve("../examples/node-worker").normalize();

  private static final Path TARGET = Path.of(System.getProperty("user.dir"), "target");
  private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path log;

  private NodeWorker(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Whether {@code node} and {@code npm} run here. */
  static boolean toolsAvailable() {
    return runs("node", "--version") && runs("npm", "--version");
  }

  private static boolean runs(String... command) {
    try {
      Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Copies the example (without {@code node_modules}) to {@code target/node-worker} and runs {@code
   * npm ci} there; its directory.
   *
   * @throws AssertionError if npm fails, e.g. because it cannot reach the registry, with its output
   */
  static Path install() throws IOException, InterruptedException {
    Path dir = TARGET.resolve("node-worker");
    copy(EXAMPLE, dir);
    Path npmLog = dir.resolve("npm-ci.log");
    ProcessBuilder npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(npmLog.toFile());
    npm.environment().put("npm_config_cache", TARGET.resolve("npm-cache").toString());
    npm.environment().put("npm_config_update_notifier", "false");
    Process ci = npm.start();
    if (!ci.waitFor(NPM_CI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      ci.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError(
          "npm ci in " + dir + " did not finish within " + NPM_CI_TIMEOUT + ":\n" + read(npmLog));
    }
    if (ci.exitValue() != 0) {
      throw new AssertionError(
          "npm ci in "
              + dir
              + " failed with exit code "
              + ci.exitValue()
              + "; the test needs the npm registry (kafkajs, @confluentinc/schemaregistry),"
              + " is it reachable? npm said:\n"
              + read(npmLog));
    }
    return dir;
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.isRegularFile(from.resolve("package-lock.json"))) {
      throw new AssertionError("No Node.js worker at " + from);
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(f -> !f.toString().contains("node_modules")).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * Starts {@code node worker.js} in {@code dir} with {@code environment} (its {@code WEFT_*}
   * settings), its output in {@code log}, and waits until it serves.
   */
  static NodeWorker start(Path dir, Map<String, String> environment, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(List.of("node", "worker.js"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    NodeWorker worker = new NodeWorker(builder.start(), log);
    worker.awaitLogLine("ready: serving");
    return worker;
  }

  /** Waits until the worker logs {@code text}; fails at once, with its log, if it exited. */
  void awaitLogLine(String text) {
    await()
        .atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String output = log();
              if (!process.isAlive() && !output.contains(text)) {
                throw new AssertionError(
                    "The Node.js worker exited with " + process.exitValue() + ":\n" + output);
              }
              return output.contains(text);
            });
  }

  /** What the worker has logged so far. */
  String log() {
    return read(log);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** Stops the worker with SIGTERM, and kills it if it has not exited within 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

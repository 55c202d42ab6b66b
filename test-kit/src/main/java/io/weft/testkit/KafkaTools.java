package io.weft.testkit;

import io.weft.embedded.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kafka's own command-line tools, run as an operator runs them ({@code kafka-transactions.sh} and
 * the like are {@code kafka-run-class.sh <main class>}): each in a JVM of its own, from the same
 * Maven artifacts as the brokers, its standard output returned.
 */
public final class KafkaTools {

  private static final long TIMEOUT_SECONDS = 120;

  private KafkaTools() {}

  /**
   * {@code kafka-transactions.sh --bootstrap-server <bootstrap> <args>}: {@code list}, {@code
   * describe --transactional-id <id>}, {@code find-hanging --broker-id <id>}, ...
   */
  public static String transactions(String bootstrapServers, String... args) {
    List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrapServers));
    all.addAll(List.of(args));
    return run("org.apache.kafka.tools.TransactionsCommand", all);
  }

  /**
   * {@code kafka-get-offsets.sh --bootstrap-server <bootstrap> <args>}: the offsets of topics'
   * partitions, e.g. {@code --topic <name> --time -1} for their ends.
   */
  public static String getOffsets(String bootstrapServers, String... args) {
    List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrapServers));
    all.addAll(List.of(args));
    return run("org.apache.kafka.tools.GetOffsetShell", all);
  }

  /** Runs {@code mainClass} with {@code args}; its output, or an error with what it printed. */
  public static String run(String mainClass, List<String> args) {
    try {
      Path dir = Files.createTempDirectory("kafka-tool");
      Path errors = dir.resolve("stderr.log");
      // its own log directory: the test log configuration would write over the caller's log
      List<String> command =
          ChildJvm.javaCommand(
              mainClass,
              List.of("-Xmx256m", "-Dweft.test.dir=" + dir),
              args.toArray(String[]::new));
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(errors.toFile()))
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              mainClass + " did not end within " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              mainClass
                  + " "
                  + String.join(" ", args)
                  + " exited with "
                  + process.exitValue()
                  + ": "
                  + output
                  + Files.readString(errors));
        }
        return output;
      } finally {
        Directories.deleteRecursively(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + mainClass, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while " + mainClass + " ran", e);
    }
  }
}

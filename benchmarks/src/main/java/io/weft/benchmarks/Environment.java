package io.weft.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The facts about a run that its figures depend on. */
final class Environment {

  private Environment() {}

  static void describe(
      Report report,
      Map<String, String> coordinatorOverrides,
      Map<String, String> workerOverrides) {
    report.environment("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    report.environment(
        "cores (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
    report.environment(
        "java",
        System.getProperty("java.runtime.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")");
    report.environment(
        "os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    String commit = gitCommit();
    if (commit != null) {
      report.environment("commit", commit);
    }
    report.environment(
        "coordinator settings",
        coordinatorOverrides.isEmpty() ? "engine defaults" : "defaults + " + coordinatorOverrides);
    report.environment(
        "worker settings",
        workerOverrides.isEmpty() ? "engine defaults" : "defaults + " + workerOverrides);
  }

  /** The checked-out commit, if this runs in a git checkout; null otherwise. */
  private static String gitCommit() {
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 && !out.isEmpty()
          ? out
          : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}

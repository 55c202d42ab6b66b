package io.weft.workers.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A command that serves a task type through {@link ExecHandler}: a program in any language, run
 * once per attempt. The command is part of the worker's configuration, never of a run: publishing a
 * run cannot make a worker run a program it was not configured with.
 *
 * @param taskType the task type served, {@code [a-z0-9-]+}
 * @param command the program and its arguments, run without a shell
 * @param workingDirectory where the program runs (relative paths in its arguments and params are
 *     resolved from there)
 * @param environment variables added to the worker's own
 * @param stopGrace how long a cancelled program has between SIGTERM and SIGKILL
 * @param nonRetryableExitCodes exit codes that fail the task at once; any other non-zero exit
 *     leaves the task to its retry policy
 * @param description what the task type does, for people; may be null
 */
public record ExecCommand(
    String taskType,
    List<String> command,
    Path workingDirectory,
    Map<String, String> environment,
    Duration stopGrace,
    Set<Integer> nonRetryableExitCodes,
    String description) {

  /**
   * The exit codes that are not retried by default: 2 (a command-line usage error, e.g. Python's
   * argparse) and the {@code sysexits.h} codes 64 to 78 except 75 ({@code EX_TEMPFAIL}, which says
   * a later attempt may succeed).
   */
  public static final Set<Integer> DEFAULT_NON_RETRYABLE =
      Set.copyOf(
          IntStream.concat(IntStream.of(2), IntStream.rangeClosed(64, 78).filter(c -> c != 75))
              .boxed()
              .toList());

  /** The default time between SIGTERM and SIGKILL. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

  private static final Pattern TYPE = Pattern.compile("[a-z0-9-]+");

  public ExecCommand {
    if (taskType == null || !TYPE.matcher(taskType).matches()) {
      throw new IllegalArgumentException(
          "Task type '" + taskType + "' of a command must match [a-z0-9-]+");
    }
    Objects.requireNonNull(command, "command");
    if (command.isEmpty() || command.stream().anyMatch(a -> a == null)) {
      throw new IllegalArgumentException(
          "The command of task type '" + taskType + "' is empty or has a null argument");
    }
    command = List.copyOf(command);
    workingDirectory =
        (workingDirectory == null ? Path.of("") : workingDirectory).toAbsolutePath().normalize();
    environment = Map.copyOf(environment == null ? Map.of() : environment);
    stopGrace = stopGrace == null ? DEFAULT_STOP_GRACE : stopGrace;
    if (stopGrace.isNegative()) {
      throw new IllegalArgumentException("Stop grace of '" + taskType + "' is negative");
    }
    nonRetryableExitCodes =
        Set.copyOf(nonRetryableExitCodes == null ? DEFAULT_NON_RETRYABLE : nonRetryableExitCodes);
    if (nonRetryableExitCodes.contains(0)) {
      throw new IllegalArgumentException("Exit code 0 means success; it cannot be non-retryable");
    }
  }

  /** A command with the default working directory (the worker's), grace and exit codes. */
  public static ExecCommand of(String taskType, List<String> command) {
    return new ExecCommand(taskType, command, null, null, null, null, null);
  }

  /**
   * Parses {@code TYPE=COMMAND LINE}, as {@code weft worker --exec} takes it: the command line is
   * split into arguments at spaces, except inside single or double quotes (no other shell syntax:
   * no variables, globs or pipes).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static ExecCommand parse(String spec, Path workingDirectory) {
    int eq = spec == null ? -1 : spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "Expected TYPE=COMMAND, e.g. py-train='python3 train.py', got '" + spec + "'");
    }
    List<String> args = split(spec.substring(eq + 1));
    if (args.isEmpty()) {
      throw new IllegalArgumentException("No command after '=' in '" + spec + "'");
    }
    return new ExecCommand(
        spec.substring(0, eq).strip(), args, workingDirectory, null, null, null, null);
  }

  /** With another working directory. */
  public ExecCommand withWorkingDirectory(Path directory) {
    return new ExecCommand(
        taskType, command, directory, environment, stopGrace, nonRetryableExitCodes, description);
  }

  /** With more environment variables. */
  public ExecCommand withEnvironment(Map<String, String> more) {
    Map<String, String> merged = new LinkedHashMap<>(environment);
    merged.putAll(more);
    return new ExecCommand(
        taskType, command, workingDirectory, merged, stopGrace, nonRetryableExitCodes, description);
  }

  /** With another grace period between SIGTERM and SIGKILL. */
  public ExecCommand withStopGrace(Duration grace) {
    return new ExecCommand(
        taskType,
        command,
        workingDirectory,
        environment,
        grace,
        nonRetryableExitCodes,
        description);
  }

  /** With other non-retryable exit codes. */
  public ExecCommand withNonRetryableExitCodes(Set<Integer> codes) {
    return new ExecCommand(
        taskType, command, workingDirectory, environment, stopGrace, codes, description);
  }

  /** The non-retryable exit codes, sorted, for messages. */
  public String nonRetryableDescription() {
    return new TreeSet<>(nonRetryableExitCodes).toString();
  }

  static List<String> split(String line) {
    List<String> args = new ArrayList<>();
    StringBuilder current = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        current = current == null ? new StringBuilder() : current;
      } else if (Character.isWhitespace(c)) {
        if (current != null) {
          args.add(current.toString());
          current = null;
        }
      } else {
        current = current == null ? new StringBuilder() : current;
        current.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("Unclosed " + quote + " in command '" + line + "'");
    }
    if (current != null) {
      args.add(current.toString());
    }
    return args;
  }
}

package io.weft.workers.api;

import io.weft.workers.internals.Json;
import io.weft.workers.internals.TaskContextImpl;
import io.weft.workers.internals.exec.ExecInput;
import io.weft.workers.internals.exec.ExecOutput;
import io.weft.workers.internals.exec.ProcessLog;
import io.weft.workers.internals.exec.ProcessRun;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a task type by running a program, in any language, once per attempt ({@link ExecCommand}).
 * The worker around it keeps Weft's guarantees: the program's result is published with the
 * request's offset in one Kafka transaction, like any handler's.
 *
 * <p>The program gets:
 *
 * <ul>
 *   <li>on stdin, and in the file {@code $WEFT_INPUT}, a JSON document with the attempt's ids,
 *       deadline, params, upstream outputs and a local file for every artifact ({@link ExecInput});
 *   <li>the environment variables {@code WEFT_INPUT}, {@code WEFT_OUTPUT} (where to write its
 *       outputs), {@code WEFT_ARTIFACTS_DIR} (an empty directory whose files become artifact
 *       outputs), {@code WEFT_RUN_ID}, {@code WEFT_TASK_ID}, {@code WEFT_ATTEMPT}, {@code
 *       WEFT_IDEMPOTENCY_KEY} and {@code WEFT_DEADLINE}, and for a task granted GPUs {@code
 *       CUDA_VISIBLE_DEVICES}.
 * </ul>
 *
 * It reports progress with stdout lines {@code {"progress": {"step": 3, "total": 10, "metrics":
 * {...}, "message": "..."}}}; other lines are logged and shown as progress messages. Its outputs
 * are read as {@link ExecOutput} says; stdout and stderr together become the {@code log} artifact
 * output. Exit 0 succeeds; an exit code among {@link ExecCommand#nonRetryableExitCodes()} fails the
 * task at once; any other fails the attempt, to be retried as the task's policy says. A cancelled
 * attempt gets SIGTERM, then SIGKILL after {@link ExecCommand#stopGrace()}.
 */
public final class ExecHandler implements TaskHandler {

  private static final Logger log = LoggerFactory.getLogger(ExecHandler.class);

  private final ExecCommand command;
  private final Clock clock;

  public ExecHandler(ExecCommand command) {
    this(command, Clock.systemUTC());
  }

  ExecHandler(ExecCommand command, Clock clock) {
    this.command = command;
    this.clock = clock;
  }

  @Override
  public String taskType() {
    return command.taskType();
  }

  @Override
  public String description() {
    return command.description() != null
        ? command.description()
        : "runs " + String.join(" ", command.command());
  }

  @Override
  public TaskOutputs execute(TaskContext context) throws Exception {
    Path scratch = Files.createTempDirectory("weft-exec-");
    try {
      return execute(context, scratch);
    } finally {
      deleteTree(scratch);
    }
  }

  private TaskOutputs execute(TaskContext context, Path scratch) throws Exception {
    Path input = scratch.resolve("input.json");
    Path output = scratch.resolve("output.json");
    Path artifacts = Files.createDirectory(scratch.resolve("artifacts"));
    Path logFile = scratch.resolve("log.txt");
    byte[] inputBytes = Json.write(ExecInput.of(context)).getBytes(StandardCharsets.UTF_8);
    Files.write(input, inputBytes);

    ProcessBuilder builder =
        new ProcessBuilder(command.command()).directory(command.workingDirectory().toFile());
    Map<String, String> env = builder.environment();
    env.putAll(command.environment());
    env.put("WEFT_INPUT", input.toString());
    env.put("WEFT_OUTPUT", output.toString());
    env.put("WEFT_ARTIFACTS_DIR", artifacts.toString());
    env.put("WEFT_RUN_ID", context.runId());
    env.put("WEFT_TASK_ID", context.taskId());
    env.put("WEFT_ATTEMPT", Integer.toString(context.attempt()));
    env.put("WEFT_IDEMPOTENCY_KEY", context.idempotencyKey());
    env.put("WEFT_DEADLINE", context.deadline().toString());
    if (!context.gpus().isEmpty()) { // the program sees the GPUs granted to it, and only those
      env.put(
          "CUDA_VISIBLE_DEVICES",
          String.join(",", context.gpus().stream().map(String::valueOf).toList()));
    }
    String token = UUID.randomUUID().toString();
    env.put("WEFT_EXEC_TOKEN", token); // marks what the program starts, to stop what it leaves

    try (ProcessLog processLog = new ProcessLog(context, logFile)) {
      Process process = start(builder);
      String name = "weft-exec-" + context.idempotencyKey();
      Thread out = processLog.follow(process.getInputStream(), false, name + "-stdout");
      Thread err = processLog.follow(process.getErrorStream(), true, name + "-stderr");
      writeStdin(process, inputBytes, name + "-stdin");
      ProcessRun run = new ProcessRun(process, command.stopGrace(), clock, token);
      int exit;
      try {
        exit = run.await(context::isCancelled, context.deadline());
      } finally {
        int leftovers = run.stopLeftovers();
        if (leftovers > 0) {
          log.warn("{}: stopped {} process(es) that {} left running", context, leftovers, command);
        }
      }
      if (context instanceof TaskContextImpl impl) {
        impl.addProgramUsage(run.usage().cpuNanos(), run.usage().peakBytes());
      }
      awaitOutput(out, err);
      processLog.close();
      TaskOutputs logOutput =
          TaskOutputs.empty()
              .withArtifact("log", context.putArtifact("log.txt", logFile, "text/plain"));
      if (run.stopReason() != null) {
        throw new TaskFailedException(
            "Stopped "
                + command.command()
                + " because "
                + run.stopReason()
                + " (exit "
                + exit
                + ")",
            true);
      }
      if (exit != 0) {
        throw failed(exit, processLog, logOutput);
      }
      if (processLog.lastStdoutTruncated() && processLog.lastStdout().startsWith("{")) {
        throw new TaskFailedException(
            "Invalid output of the program: its last stdout line is over "
                + ProcessLog.MAX_KEPT_CHARS
                + " characters; write large outputs to $WEFT_OUTPUT, or files to"
                + " $WEFT_ARTIFACTS_DIR",
            false);
      }
      return ExecOutput.read(context, output, processLog.lastStdout(), artifacts, logOutput);
    }
  }

  private Process start(ProcessBuilder builder) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new TaskFailedException(
          "Cannot start "
              + command.command()
              + " in "
              + command.workingDirectory()
              + ": "
              + e.getMessage(),
          false,
          e);
    }
  }

  /**
   * Waits for the program's output to end; bounded, since a process it started and that could not
   * be stopped may hold its streams open.
   */
  private void awaitOutput(Thread out, Thread err) throws InterruptedException {
    long waitMillis = command.stopGrace().toMillis() + 5_000;
    out.join(waitMillis);
    err.join(waitMillis);
    if (out.isAlive() || err.isAlive()) {
      log.warn("{}: its output is still open; the log stops here", command.command());
    }
  }

  private ExecFailedException failed(int exit, ProcessLog processLog, TaskOutputs logOutput) {
    boolean retryable = !command.nonRetryableExitCodes().contains(exit);
    return new ExecFailedException(
        command.command()
            + " exited with "
            + exit
            + (retryable
                ? ""
                : " (not retried: exit codes " + command.nonRetryableDescription() + " are final)")
            + "; log "
            + logOutput.outputs().get("log").artifact().getUri()
            + (processLog.stderrTail().isEmpty()
                ? ""
                : "; stderr ends with:\n" + String.join("\n", processLog.stderrTail())),
        retryable);
  }

  /** Writes the input on a thread of its own: a program that never reads stdin cannot block us. */
  private static void writeStdin(Process process, byte[] input, String threadName) {
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input);
              } catch (IOException e) {
                // The program need not read stdin (it may read $WEFT_INPUT) and may exit first.
                log.debug("Program closed its stdin before reading the input: {}", e.toString());
              }
            },
            threadName);
    writer.setDaemon(true);
    writer.start();
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("Cannot delete the scratch directory {}: {}", root, e.toString());
    }
  }

  /** A program that exited with a non-zero code. */
  public static final class ExecFailedException extends TaskFailedException {
    private static final long serialVersionUID = 1L;

    ExecFailedException(String message, boolean retryable) {
      super(message, retryable);
    }
  }
}

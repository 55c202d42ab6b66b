package io.weft.workers.internals.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.workers.api.TaskContext;
import io.weft.workers.internals.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a program of an exec task writes: both streams go, line by line, to one log file (stored as
 * the attempt's {@code log} artifact); stdout lines of the form {@code {"progress": {...}}} become
 * progress reports, other lines are reported as progress messages at most once per {@link
 * #LINE_REPORT_INTERVAL_NANOS}; the last stderr lines are kept for the error message, the last
 * stdout line for the outputs.
 */
public final class ProcessLog {

  static final long LINE_REPORT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  static final int MAX_LINE_CHARS = 8_192;
  private static final int TAIL_LINES = 20;

  private final TaskContext context;
  private final Writer log;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private String lastStdout;
  private long step;
  private long lastLineReport = System.nanoTime() - LINE_REPORT_INTERVAL_NANOS;

  public ProcessLog(TaskContext context, Path file) throws IOException {
    this.context = context;
    this.log = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  /** Reads {@code stream} to its end on a thread of its own; the thread is returned started. */
  public Thread follow(InputStream stream, boolean stderr, String threadName) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  accept(
                      line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line,
                      stderr);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  synchronized void accept(String line, boolean stderr) throws IOException {
    log.write(stderr ? "[stderr] " : "");
    log.write(line);
    log.write('\n');
    if (stderr) {
      stderrTail.addLast(line);
      if (stderrTail.size() > TAIL_LINES) {
        stderrTail.removeFirst();
      }
    } else if (line.isBlank()) {
      return;
    } else if (!reportProgress(line)) {
      lastStdout = line;
    } else {
      return;
    }
    long now = System.nanoTime();
    if (now - lastLineReport >= LINE_REPORT_INTERVAL_NANOS) {
      lastLineReport = now;
      context.progress(step, null, Map.of(), line);
    }
  }

  private boolean reportProgress(String line) {
    if (!line.startsWith("{\"progress\"")) {
      return false;
    }
    JsonNode progress;
    try {
      progress = Json.parse(line).get("progress");
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (progress == null || !progress.isObject()) {
      return false;
    }
    step = progress.path("step").asLong(step + 1);
    JsonNode total = progress.get("total");
    Map<String, Double> metrics = new LinkedHashMap<>();
    progress
        .path("metrics")
        .fields()
        .forEachRemaining(
            m -> {
              if (m.getValue().isNumber() && Double.isFinite(m.getValue().asDouble())) {
                metrics.put(m.getKey(), m.getValue().asDouble());
              }
            });
    JsonNode message = progress.get("message");
    context.progress(
        step,
        total != null && total.canConvertToLong() ? total.asLong() : null,
        metrics,
        message != null && message.isTextual() ? message.asText() : null);
    return true;
  }

  /** The last non-blank stdout line that was not a progress report; null if none. */
  public synchronized String lastStdout() {
    return lastStdout;
  }

  /** The last stderr lines, oldest first. */
  public synchronized List<String> stderrTail() {
    return List.copyOf(stderrTail);
  }

  /** Flushes and closes the log file, once both streams are read. */
  public synchronized void close() throws IOException {
    log.close();
  }
}

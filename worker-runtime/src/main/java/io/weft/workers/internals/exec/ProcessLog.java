package io.weft.workers.internals.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.workers.api.TaskContext;
import io.weft.workers.internals.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
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
 * the attempt's {@code log} artifact, each cut at {@link #MAX_LOGGED_CHARS}); stdout lines of the
 * form {@code {"progress": {...}}} become progress reports, other lines are reported as progress
 * messages at most once per {@link #LINE_REPORT_INTERVAL_NANOS}; the last stderr lines are kept for
 * the error message, the last stdout line for the outputs.
 */
public final class ProcessLog implements AutoCloseable {

  static final long LINE_REPORT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** What the log, the error message and progress messages keep of a line. */
  static final int MAX_LOGGED_CHARS = 8_192;

  /** What is kept of a line at all: the last stdout line may be the outputs. */
  public static final int MAX_KEPT_CHARS = 1 << 20;

  private static final int TAIL_LINES = 20;

  private final TaskContext context;
  private final Writer log;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private String lastStdout;
  private boolean lastStdoutTruncated;
  private long step;
  private boolean closed;
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
              try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                readLines(reader, stderr);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Splits what the program writes into lines, keeping at most {@link #MAX_KEPT_CHARS} of each: a
   * program that writes gigabytes without a newline costs this worker a bounded buffer.
   */
  private void readLines(Reader reader, boolean stderr) throws IOException {
    char[] buffer = new char[8192];
    StringBuilder line = new StringBuilder();
    boolean truncated = false;
    for (int n = reader.read(buffer); n != -1; n = reader.read(buffer)) {
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        if (c == '\n') {
          accept(line.toString(), truncated, stderr);
          line.setLength(0);
          truncated = false;
        } else if (line.length() < MAX_KEPT_CHARS) {
          line.append(c);
        } else {
          truncated = true;
        }
      }
    }
    if (line.length() > 0 || truncated) {
      accept(line.toString(), truncated, stderr);
    }
  }

  synchronized void accept(String raw, boolean truncated, boolean stderr) throws IOException {
    if (closed) {
      return; // the attempt ended while a process it started still writes
    }
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    log.write(stderr ? "[stderr] " : "");
    if (line.length() > MAX_LOGGED_CHARS || truncated) {
      log.write(line, 0, Math.min(line.length(), MAX_LOGGED_CHARS));
      log.write(" [line truncated]");
    } else {
      log.write(line);
    }
    log.write('\n');
    String shown = line.length() > MAX_LOGGED_CHARS ? line.substring(0, MAX_LOGGED_CHARS) : line;
    if (stderr) {
      stderrTail.addLast(shown);
      if (stderrTail.size() > TAIL_LINES) {
        stderrTail.removeFirst();
      }
    } else if (line.isBlank()) {
      return;
    } else if (truncated || !reportProgress(line)) {
      lastStdout = line;
      lastStdoutTruncated = truncated;
    } else {
      return;
    }
    long now = System.nanoTime();
    if (now - lastLineReport >= LINE_REPORT_INTERVAL_NANOS) {
      lastLineReport = now;
      context.progress(step, null, Map.of(), shown);
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

  /** Whether the last stdout line was longer than {@link #MAX_KEPT_CHARS} and cut there. */
  public synchronized boolean lastStdoutTruncated() {
    return lastStdoutTruncated;
  }

  /** The last stderr lines, oldest first. */
  public synchronized List<String> stderrTail() {
    return List.copyOf(stderrTail);
  }

  /** Flushes and closes the log file, once both streams are read; idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      log.close();
    }
  }
}

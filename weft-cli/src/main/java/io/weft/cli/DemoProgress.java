package io.weft.cli;

import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskFailed;
import io.weft.schemas.events.TaskProgressed;
import io.weft.schemas.events.TaskRetrying;
import io.weft.schemas.events.TaskScheduled;
import io.weft.schemas.events.TaskSkipped;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Shows a run live, one line per change: each task's status, a progress bar per training epoch with
 * its loss and accuracy, and the run's elapsed time and, while training, an ETA.
 */
final class DemoProgress {

  private static final int BAR = 20;

  private final PrintWriter out;
  private final long started = System.nanoTime();
  private final CompletableFuture<Object> end = new CompletableFuture<>();
  private Long firstDispatchMillis;
  private long epochStarted = System.nanoTime();
  private double epochSeconds;
  private int epochsSeen;

  DemoProgress(PrintWriter out) {
    this.out = out;
  }

  /** When this clock started, as {@link System#nanoTime()}. */
  long startedNanos() {
    return started;
  }

  /** Completes with the run's final event. */
  CompletableFuture<Object> end() {
    return end;
  }

  /** Milliseconds from the start to the first task dispatched, or null before it. */
  synchronized Long firstDispatchMillis() {
    return firstDispatchMillis;
  }

  synchronized void on(RunEvent event) {
    Object e = event.getEvent();
    if (e instanceof TaskScheduled s) {
      if (firstDispatchMillis == null) {
        firstDispatchMillis = elapsedMillis();
      }
      print(s.getTaskId(), "scheduled (" + s.getType() + ", attempt " + s.getAttempt() + ")");
    } else if (e instanceof TaskStarted s) {
      epochStarted = System.nanoTime();
      print(s.getTaskId(), "started on " + s.getWorkerId());
    } else if (e instanceof TaskProgressed p) {
      progress(p);
    } else if (e instanceof TaskSucceeded s) {
      print(s.getTaskId(), "succeeded in " + seconds(s.getDurationMs()));
    } else if (e instanceof TaskFailed f) {
      print(f.getTaskId(), "failed: " + f.getError().getMessage());
    } else if (e instanceof TaskRetrying r) {
      print(r.getTaskId(), "retrying as attempt " + r.getNextAttempt() + ": " + r.getReason());
    } else if (e instanceof TaskSkipped s) {
      print(s.getTaskId(), "skipped: " + s.getReason());
    } else if (e instanceof RunSucceeded || e instanceof RunFailed || e instanceof RunCancelled) {
      print(
          "run",
          e.getClass().getSimpleName().replace("Run", "").toLowerCase()
              + " after "
              + seconds(elapsedMillis()));
      end.complete(e);
    }
  }

  private void progress(TaskProgressed p) {
    long now = System.nanoTime();
    Long total = p.getTotalSteps();
    Map<String, Double> m = p.getMetrics();
    if (!m.containsKey("loss")) {
      print(p.getTaskId(), p.getMessage() == null ? "step " + p.getStep() : p.getMessage());
      epochStarted = now;
      return;
    }
    epochsSeen++;
    double seconds = (now - epochStarted) / 1e9;
    epochSeconds =
        epochsSeen == 1 ? seconds : (epochSeconds * (epochsSeen - 1) + seconds) / epochsSeen;
    epochStarted = now;
    StringBuilder line = new StringBuilder();
    if (total != null && total > 0) {
      int filled = (int) Math.min(BAR, p.getStep() * BAR / total);
      line.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
      line.append("epoch ").append(p.getStep()).append('/').append(total);
    } else {
      line.append("epoch ").append(p.getStep());
    }
    line.append(String.format("  loss %.4f", m.get("loss")));
    metric(line, m, "trainAccuracy", "accuracy");
    metric(line, m, "validationAccuracy", "validation");
    if (m.containsKey("samplesPerSecond")) {
      line.append(String.format("  %,.0f samples/s", m.get("samplesPerSecond")));
    }
    if (total != null && p.getStep() < total) {
      line.append("  ETA ").append(seconds((long) (epochSeconds * (total - p.getStep()) * 1000)));
    }
    print(p.getTaskId(), line.toString());
  }

  private static void metric(StringBuilder line, Map<String, Double> m, String key, String label) {
    if (m.containsKey(key)) {
      line.append(String.format("  %s %.4f", label, m.get(key)));
    }
  }

  private void print(String what, String text) {
    out.printf("[%7s] %-10s %s%n", seconds(elapsedMillis()), what, text);
    out.flush();
  }

  private long elapsedMillis() {
    return Duration.ofNanos(System.nanoTime() - started).toMillis();
  }

  static String seconds(long millis) {
    return String.format("%.1fs", millis / 1000.0);
  }
}

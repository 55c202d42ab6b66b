package io.weft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** How runs are printed: a table for people, JSON for programs. */
final class Output {

  /** The {@code --output} formats. */
  enum Format {
    table,
    json
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Output() {}

  static void run(PrintWriter out, RunView run, Format format) {
    if (format == Format.json) {
      print(out, runJson(run));
      return;
    }
    out.println("run:      " + run.runId());
    out.println("workflow: " + run.workflowName() + " version " + run.workflowVersion());
    out.println(
        "status:   "
            + run.status()
            + (run.paused() ? " (paused: dispatches nothing new until weft resume)" : ""));
    out.println("started:  " + text(run.startedAt()));
    out.println("finished: " + text(run.finishedAt()));
    if (run.error() != null) {
      out.println("error:    " + run.error() + " (task " + text(run.failedTaskId()) + ")");
    }
    out.println();
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of("TASK", "STATUS", "ATTEMPT", "WORKER", "STARTED", "FINISHED", "USED", "ERROR"));
    for (Map.Entry<String, TaskView> e : run.tasks().entrySet()) {
      TaskView t = e.getValue();
      rows.add(
          List.of(
              e.getKey(),
              t.status().name(),
              String.valueOf(t.attempt()),
              text(t.workerId()),
              text(t.startedAt()),
              text(t.finishedAt()),
              used(t.usage()),
              text(t.error())));
    }
    table(out, rows);
  }

  static void runs(PrintWriter out, List<RunView> runs, Format format) {
    if (format == Format.json) {
      ArrayNode array = JSON.createArrayNode();
      runs.forEach(r -> array.add(runJson(r)));
      print(out, array);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("RUN", "WORKFLOW", "VERSION", "STATUS", "STARTED", "FINISHED"));
    for (RunView r : runs) {
      rows.add(
          List.of(
              r.runId(),
              r.workflowName(),
              String.valueOf(r.workflowVersion()),
              r.status().name(),
              text(r.startedAt()),
              text(r.finishedAt())));
    }
    table(out, rows);
  }

  /** Prints rows in columns two spaces apart; the first row is the header. */
  static void table(PrintWriter out, List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static ObjectNode runJson(RunView run) {
    ObjectNode node = JSON.createObjectNode();
    node.put("runId", run.runId());
    node.put("workflowName", run.workflowName());
    node.put("workflowVersion", run.workflowVersion());
    node.put("status", run.status().name());
    node.put("paused", run.paused());
    node.put("startedAt", json(run.startedAt()));
    node.put("finishedAt", json(run.finishedAt()));
    node.put("failedTaskId", run.failedTaskId());
    node.put("error", run.error());
    ObjectNode tasks = node.putObject("tasks");
    run.tasks()
        .forEach(
            (id, t) -> {
              ObjectNode task = tasks.putObject(id);
              task.put("status", t.status().name());
              task.put("attempt", t.attempt());
              task.put("scheduledAt", json(t.scheduledAt()));
              task.put("startedAt", json(t.startedAt()));
              task.put("finishedAt", json(t.finishedAt()));
              task.put("workerId", t.workerId());
              task.put("error", t.error());
              ObjectNode outputs = task.putObject("outputs");
              if (t.outputs() != null) {
                t.outputs().forEach(outputs::set);
              }
              if (t.usage() != null) {
                ObjectNode usage = task.putObject("usage");
                usage.put("wallMs", t.usage().wallMs());
                usage.put("cpuMs", t.usage().cpuMs());
                usage.put("peakMemoryBytes", t.usage().peakMemoryBytes());
              }
            });
    return node;
  }

  private static void print(PrintWriter out, Object node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** What an attempt used, for people: {@code cpu 1.24s, mem 85Mi}; {@code -} if unknown. */
  static String used(TaskView.Usage usage) {
    if (usage == null || (usage.cpuMs() == null && usage.peakMemoryBytes() == null)) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    if (usage.cpuMs() != null) {
      parts.add(String.format(Locale.ROOT, "cpu %.2fs", usage.cpuMs() / 1000.0));
    }
    if (usage.peakMemoryBytes() != null) {
      parts.add("mem " + megabytes(usage.peakMemoryBytes()));
    }
    return String.join(", ", parts);
  }

  private static String megabytes(long bytes) {
    return bytes >= 10L << 20
        ? (bytes + (1L << 19)) / (1L << 20) + "Mi"
        : String.format(Locale.ROOT, "%.1fMi", bytes / (double) (1L << 20));
  }

  private static String text(Object value) {
    return Objects.toString(value, "-");
  }
}

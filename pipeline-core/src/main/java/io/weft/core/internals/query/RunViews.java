package io.weft.core.internals.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskView;
import io.weft.core.internals.coordinator.RunBindings;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskState;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Converts run state to the public view and to and from the query API's JSON. */
public final class RunViews {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunViews() {}

  public static RunView from(RunState state) {
    Map<String, TaskView> tasks = new TreeMap<>();
    state.getTasks().forEach((id, task) -> tasks.put(id, task(task)));
    TaskError error = state.getError();
    return new RunView(
        state.getRunId(),
        state.getWorkflowName(),
        state.getWorkflowVersion(),
        RunView.Status.valueOf(state.getStatus().name()),
        state.getPaused(),
        state.getStartedAt(),
        state.getFinishedAt(),
        state.getFailedTaskId(),
        error == null ? null : error.getMessage(),
        tasks);
  }

  private static TaskView task(TaskState task) {
    Map<String, JsonNode> outputs = new TreeMap<>();
    task.getOutputs().forEach((name, output) -> outputs.put(name, RunBindings.value(output)));
    return new TaskView(
        TaskView.Status.valueOf(task.getStatus().name()),
        task.getAttempt(),
        task.getScheduledAt(),
        task.getStartedAt(),
        task.getFinishedAt(),
        task.getWorkerId(),
        task.getError() == null
            ? null
            : task.getError().getErrorClass() + ": " + task.getError().getMessage(),
        outputs,
        task.getUsage() == null
            ? null
            : new TaskView.Usage(
                task.getUsage().getWallMs(),
                task.getUsage().getCpuMs(),
                task.getUsage().getPeakMemoryBytes()));
  }

  public static ObjectNode toJson(RunView run) {
    ObjectNode node = JSON.createObjectNode();
    node.put("runId", run.runId());
    node.put("workflowName", run.workflowName());
    node.put("workflowVersion", run.workflowVersion());
    node.put("status", run.status().name());
    node.put("paused", run.paused());
    putTime(node, "startedAt", run.startedAt());
    putTime(node, "finishedAt", run.finishedAt());
    node.put("failedTaskId", run.failedTaskId());
    node.put("error", run.error());
    ObjectNode tasks = node.putObject("tasks");
    run.tasks()
        .forEach(
            (id, task) -> {
              ObjectNode t = tasks.putObject(id);
              t.put("status", task.status().name());
              t.put("attempt", task.attempt());
              putTime(t, "scheduledAt", task.scheduledAt());
              putTime(t, "startedAt", task.startedAt());
              putTime(t, "finishedAt", task.finishedAt());
              t.put("workerId", task.workerId());
              t.put("error", task.error());
              ObjectNode outputs = t.putObject("outputs");
              task.outputs().forEach(outputs::set);
              if (task.usage() != null) {
                ObjectNode usage = t.putObject("usage");
                usage.put("wallMs", task.usage().wallMs());
                usage.put("cpuMs", task.usage().cpuMs());
                usage.put("peakMemoryBytes", task.usage().peakMemoryBytes());
              }
            });
    return node;
  }

  public static RunView fromJson(JsonNode node) {
    Map<String, TaskView> tasks = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("tasks").fields(); it.hasNext(); ) {
      var entry = it.next();
      JsonNode t = entry.getValue();
      Map<String, JsonNode> outputs = new LinkedHashMap<>();
      t.path("outputs").fields().forEachRemaining(o -> outputs.put(o.getKey(), o.getValue()));
      tasks.put(
          entry.getKey(),
          new TaskView(
              TaskView.Status.valueOf(t.path("status").asText()),
              t.path("attempt").asInt(),
              time(t, "scheduledAt"),
              time(t, "startedAt"),
              time(t, "finishedAt"),
              text(t, "workerId"),
              text(t, "error"),
              outputs,
              usage(t.get("usage"))));
    }
    return new RunView(
        node.path("runId").asText(),
        node.path("workflowName").asText(),
        node.path("workflowVersion").asInt(),
        RunView.Status.valueOf(node.path("status").asText()),
        node.path("paused").asBoolean(false),
        time(node, "startedAt"),
        time(node, "finishedAt"),
        text(node, "failedTaskId"),
        text(node, "error"),
        tasks);
  }

  private static TaskView.Usage usage(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return new TaskView.Usage(
        node.path("wallMs").asLong(),
        node.path("cpuMs").isNumber() ? node.get("cpuMs").asLong() : null,
        node.path("peakMemoryBytes").isNumber() ? node.get("peakMemoryBytes").asLong() : null);
  }

  private static void putTime(ObjectNode node, String name, Instant time) {
    if (time == null) {
      node.putNull(name);
    } else {
      node.put(name, time.toString());
    }
  }

  private static Instant time(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : Instant.parse(value.asText());
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }
}

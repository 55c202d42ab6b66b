package io.weft.workers.internals;

import io.weft.schemas.common.TaskError;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.OutputValue;
import io.weft.workers.api.TaskOutputs;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the {@link TaskResult} of an attempt, and maps outputs to and from the Avro types. */
public final class TaskResults {

  private TaskResults() {}

  /** A SUCCEEDED result carrying the handler's outputs and metrics. */
  public static TaskResult succeeded(
      TaskRequest request, TaskOutputs outputs, String workerId, Instant started, Instant ended) {
    return base(request, workerId, started, ended)
        .setStatus(TaskOutcome.SUCCEEDED)
        .setOutputs(toAvro(outputs.outputs()))
        .setMetrics(new LinkedHashMap<>(outputs.metrics()))
        .setError(null)
        .build();
  }

  /** A FAILED result with {@code error}. */
  public static TaskResult failed(
      TaskRequest request, TaskError error, String workerId, Instant started, Instant ended) {
    return base(request, workerId, started, ended)
        .setStatus(TaskOutcome.FAILED)
        .setOutputs(new LinkedHashMap<>())
        .setMetrics(new LinkedHashMap<>())
        .setError(error)
        .build();
  }

  private static TaskResult.Builder base(
      TaskRequest request, String workerId, Instant started, Instant ended) {
    return TaskResult.newBuilder()
        .setRunId(request.getRunId())
        .setTaskId(request.getTaskId())
        .setAttempt(request.getAttempt())
        .setWorkerId(workerId)
        .setStartedAt(started)
        .setFinishedAt(ended);
  }

  /** Outputs as {@code TaskOutput}s: exactly one of {@code json} and {@code artifact} is set. */
  public static Map<String, TaskOutput> toAvro(Map<String, OutputValue> outputs) {
    Map<String, TaskOutput> result = new LinkedHashMap<>();
    outputs.forEach(
        (name, value) ->
            result.put(
                name,
                value.isArtifact()
                    ? new TaskOutput(null, value.artifact())
                    : new TaskOutput(Json.write(value.json()), null)));
    return result;
  }

  /**
   * {@code TaskOutput}s as output values.
   *
   * @throws IllegalArgumentException naming the output if one is not exactly one valid JSON text or
   *     one artifact reference
   */
  public static Map<String, OutputValue> fromAvro(String taskId, Map<String, TaskOutput> outputs) {
    Map<String, OutputValue> result = new LinkedHashMap<>();
    outputs.forEach(
        (name, output) -> {
          String where = "output '" + name + "' of upstream task '" + taskId + "'";
          if ((output.getJson() == null) == (output.getArtifact() == null)) {
            throw new IllegalArgumentException(where + " must hold either json or an artifact");
          }
          if (output.getArtifact() != null) {
            result.put(name, OutputValue.ofArtifact(output.getArtifact()));
          } else {
            try {
              result.put(name, OutputValue.ofJson(Json.parse(output.getJson())));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(where + " is not valid JSON: " + e.getMessage());
            }
          }
        });
    return result;
  }
}

package io.weft.ml.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.ModelRegistry;
import io.weft.core.api.ModelRegistryException;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;
import java.util.Map;
import java.util.TreeMap;

/**
 * Task type {@code register-model}: registers a trained model as the next version of a named model
 * in the model registry ({@link ModelRegistry}).
 *
 * <p>Params: {@code name} (required, {@code [A-Za-z0-9._-]+}), {@code model} (required, an
 * artifact, e.g. {@code ${tasks.train.outputs.model}}), {@code metrics} (optional JSON object of
 * numbers, e.g. {@code ${tasks.evaluate.outputs.metrics}}), {@code properties} (optional JSON
 * object; values are kept as text, e.g. {@code ${tasks.train.outputs.properties}} with the model's
 * architecture, hidden, width and classes).
 *
 * <p>Outputs: {@code name}, {@code version} (number) and the artifact {@code model}.
 *
 * <p>The version records the run and task that registered it, so an attempt executed again (a
 * retry, a redelivery after a crash) returns the version registered the first time instead of a new
 * one. A bad param fails without retry; a registry that cannot be reached fails retryably.
 */
public final class RegisterModel extends RegistryTaskHandler {

  public static final String TYPE = "register-model";

  /** For the worker: the registry is created from the worker's settings ({@link #configure}). */
  public RegisterModel() {
    super(null);
  }

  /** Registers in {@code registry}, which the caller closes. */
  public RegisterModel(ModelRegistry registry) {
    super(registry);
  }

  @Override
  public String taskType() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Registers a model artifact as the next version of a named model";
  }

  @Override
  public TaskOutputs execute(TaskContext context) {
    String name = Params.text(context, "name", null);
    ArtifactRef artifact = Params.artifact(context, "model");
    Map<String, Double> metrics = metrics(context);
    Map<String, String> properties = properties(context);
    ModelVersion version;
    try {
      version =
          registry()
              .register(name, artifact, metrics, properties, context.runId(), context.taskId());
    } catch (IllegalArgumentException | ModelRegistryException e) {
      throw new TaskFailedException(e.getMessage(), false, e);
    }
    return TaskOutputs.empty()
        .with("name", version.getName())
        .with("version", version.getVersion())
        .withArtifact("model", version.getArtifact());
  }

  private static Map<String, Double> metrics(TaskContext context) {
    Map<String, Double> metrics = new TreeMap<>();
    if (!Params.has(context, "metrics")) {
      return metrics;
    }
    JsonNode value = object(context, "metrics");
    value
        .fields()
        .forEachRemaining(
            field -> {
              if (!field.getValue().isNumber() || !Double.isFinite(field.getValue().asDouble())) {
                throw new TaskFailedException(
                    "param metrics: '"
                        + field.getKey()
                        + "' is "
                        + field.getValue()
                        + ", not a finite number",
                    false);
              }
              metrics.put(field.getKey(), field.getValue().asDouble());
            });
    return metrics;
  }

  private static Map<String, String> properties(TaskContext context) {
    Map<String, String> properties = new TreeMap<>();
    if (!Params.has(context, "properties")) {
      return properties;
    }
    object(context, "properties")
        .fields()
        .forEachRemaining(
            field ->
                properties.put(
                    field.getKey(),
                    field.getValue().isValueNode()
                        ? field.getValue().asText()
                        : field.getValue().toString()));
    return properties;
  }

  private static JsonNode object(TaskContext context, String name) {
    JsonNode value = context.param(name);
    if (!value.isObject()) {
      throw new TaskFailedException(
          "param " + name + ": expected a JSON object, got " + value, false);
    }
    return value;
  }
}

package io.weft.ml.tasks;

import io.weft.core.api.ModelRegistry;
import io.weft.core.api.ModelRegistryException;
import io.weft.core.api.Promotion;
import io.weft.schemas.models.ModelVersion;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;

/**
 * Task type {@code promote-model}: points a model's {@code production} alias at a version, if it
 * beats the version in production on a metric ({@link ModelRegistry#promote}).
 *
 * <p>Params: {@code name} (required), {@code version} (required, e.g. {@code
 * ${tasks.register.outputs.version}}), {@code metric} (optional: without it the version is promoted
 * unconditionally), {@code higherIsBetter} (default true).
 *
 * <p>Outputs: {@code promoted} (boolean), {@code productionVersion} (the version in production
 * afterwards, null if none) and {@code reason}. Not beating the champion is not a failure: the task
 * succeeds with {@code promoted=false}. An unknown model or version, or a version without the
 * metric, fails without retry, with the registry's message.
 */
public final class PromoteModel extends RegistryTaskHandler {

  public static final String TYPE = "promote-model";

  /** For the worker: the registry is created from the worker's settings ({@link #configure}). */
  public PromoteModel() {
    super(null);
  }

  /** Promotes in {@code registry}, which the caller closes. */
  public PromoteModel(ModelRegistry registry) {
    super(registry);
  }

  @Override
  public String taskType() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Points a model's production alias at a version if it beats the current one";
  }

  @Override
  public TaskOutputs execute(TaskContext context) {
    String name = Params.text(context, "name", null);
    int version = Params.number(context, "version");
    String metric = Params.has(context, "metric") ? Params.text(context, "metric", null) : null;
    boolean higherIsBetter = Params.flag(context, "higherIsBetter", true);
    ModelRegistry models = registry();
    Promotion promotion;
    try {
      promotion = models.promote(name, version, metric, higherIsBetter);
    } catch (IllegalArgumentException | ModelRegistryException e) {
      throw new TaskFailedException(e.getMessage(), false, e);
    }
    Integer production =
        promotion.promoted()
            ? Integer.valueOf(version)
            : models.production(name).map(ModelVersion::getVersion).orElse(null);
    return TaskOutputs.empty()
        .with("promoted", promotion.promoted())
        .with("productionVersion", production)
        .with("reason", promotion.reason());
  }
}

package io.weft.ml.tasks;

import ai.djl.Model;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.Devices;
import io.weft.ml.internals.dl.Evaluation;
import io.weft.ml.internals.dl.ModelCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Task type {@code evaluate}: measures a trained classifier on a labelled dataset.
 *
 * <p>Params: {@code model} (the model artifact, e.g. {@code ${tasks.train.outputs.model}}), {@code
 * properties} (its architecture, e.g. {@code ${tasks.train.outputs.properties}}), {@code test} (a
 * dataset artifact, e.g. {@code ${tasks.prepare.outputs.test}}), {@code batchSize} (default 256).
 *
 * <p>Outputs: {@code accuracy}, {@code loss}, {@code precision} and {@code recall} (lists, one per
 * class), {@code confusion} (rows = actual class, columns = predicted), {@code count}, and {@code
 * metrics} ({@code accuracy}, {@code loss}, {@code macroPrecision}, {@code macroRecall}) for {@code
 * register-model}. Outputs are plain numbers, so a {@code when} can gate on them: {@code when:
 * ${tasks.evaluate.outputs.accuracy} >= 0.9}.
 */
public final class Evaluate implements TaskHandler {

  public static final String TYPE = "evaluate";

  @Override
  public String taskType() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Measures a classifier: accuracy, loss, per-class precision and recall, confusion";
  }

  @Override
  public TaskOutputs execute(TaskContext context) throws Exception {
    ModelSpec spec = spec(context);
    LabeledData test = Params.dataset(context, "test", spec.classes());
    ArtifactRef ref = Params.artifact(context, "model");
    Evaluation evaluation;
    try (InputStream in = context.artifacts().open(ref);
        Model model =
            ModelCodec.load(
                "model",
                spec,
                in,
                Devices.of(context, Params.flag(context, Devices.CPU_FALLBACK, false)))) {
      evaluation = Evaluation.of(model, spec, test, Params.positive(context, "batchSize", 256));
    } catch (IllegalArgumentException e) {
      throw new TaskFailedException("param test: " + e.getMessage(), false);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", evaluation.accuracy());
    metrics.put("loss", evaluation.loss());
    metrics.put("macroPrecision", evaluation.macroPrecision());
    metrics.put("macroRecall", evaluation.macroRecall());
    return TaskOutputs.empty()
        .with("accuracy", evaluation.accuracy())
        .with("loss", evaluation.loss())
        .with("precision", evaluation.precision())
        .with("recall", evaluation.recall())
        .with("confusion", evaluation.confusionRows())
        .with("count", test.size())
        .with("metrics", metrics)
        .withMetrics(metrics);
  }

  /** The architecture from param {@code properties}. */
  static ModelSpec spec(TaskContext context) {
    Map<String, String> properties = Params.strings(context, "properties");
    try {
      return ModelSpec.fromProperties(properties);
    } catch (IllegalArgumentException e) {
      throw new TaskFailedException("param properties: " + e.getMessage(), false);
    }
  }
}

package io.weft.ml.tasks;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.Checkpoint;
import io.weft.ml.internals.dl.ClassifierTraining;
import io.weft.ml.internals.dl.Devices;
import io.weft.ml.internals.dl.ModelCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task type {@code train}: trains a classifier on DJL's PyTorch engine, reporting every epoch and
 * checkpointing after it, so that a later attempt (after a crash, a timeout or a lost worker)
 * resumes after the last finished epoch instead of starting over.
 *
 * <p>Params: {@code train} and {@code validation} (dataset artifacts, e.g. {@code
 * ${tasks.prepare.outputs.train}}; validation optional), {@code architecture} ({@code mlp}
 * (default) or {@code cnn}, LeNet-like), {@code hidden} (dense layer sizes; default {@code [128]}
 * for the MLP, {@code [120, 84]} for the CNN), {@code classes} (default 10), {@code epochs}
 * (default 5), {@code batchSize} (default 64), {@code learningRate} (default 0.001), {@code
 * optimizer} ({@code adam} (default) or {@code sgd} with momentum 0.9), {@code seed} (default 42),
 * {@code threads} (PyTorch intra-op threads, default 1; a process-wide setting).
 *
 * <p>Progress: one {@code TaskProgress} per epoch with {@code loss}, {@code trainAccuracy}, {@code
 * validationLoss}, {@code validationAccuracy} and {@code samplesPerSecond}.
 *
 * <p>Outputs: artifact {@code model} (DJL parameters), {@code properties} (the architecture, as a
 * model version stores it), {@code metrics} (the last epoch's), the same metrics as top-level
 * outputs ({@code validationAccuracy}, {@code loss}, ...), {@code epochs}, and {@code
 * resumedAfterEpoch} (0 when the attempt started from scratch). Bad params or data fail the attempt
 * without retry.
 */
public final class Train implements TaskHandler {

  public static final String TYPE = "train";

  /** Name of the checkpoint artifact, one per attempt, replaced after every epoch. */
  public static final String CHECKPOINT = "checkpoint.bin";

  private static final Logger log = LoggerFactory.getLogger(Train.class);

  @Override
  public String taskType() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Trains an MLP or LeNet-like CNN classifier on DJL PyTorch, checkpointing each epoch";
  }

  @Override
  public TaskOutputs execute(TaskContext context) {
    int classes = Params.positive(context, "classes", 10);
    LabeledData train = Params.dataset(context, "train", classes);
    LabeledData validation =
        Params.has(context, "validation") ? Params.dataset(context, "validation", classes) : null;
    ClassifierTraining.Settings settings = settings(context, train.width(), classes);
    JniUtils.setNumThreads(Params.positive(context, "threads", 1));

    Device device = Devices.of(context, Params.flag(context, Devices.CPU_FALLBACK, false));
    ClassifierTraining.Start start = resume(context, settings);
    int epochs = settings.epochs();
    if (start.epochsDone() > 0) {
      context.progress(
          start.epochsDone(),
          (long) epochs,
          Map.of(),
          "resuming after epoch " + start.epochsDone());
    }
    ClassifierTraining.Result result =
        ClassifierTraining.train(
            train,
            validation,
            settings,
            start,
            device,
            (metrics, parameters) -> {
              context.putArtifact(
                  CHECKPOINT,
                  new ByteArrayInputStream(
                      new Checkpoint(
                              metrics.epoch(),
                              settings.spec().toProperties(),
                              metrics.toMap(),
                              parameters)
                          .encode()),
                  Checkpoint.MEDIA_TYPE);
              context.progress(
                  metrics.epoch(), (long) epochs, metrics.toMap(), metrics.summary(epochs));
              return !context.isCancelled();
            });
    Map<String, Double> metrics =
        result.epochs().isEmpty() ? resumedMetrics(context) : result.last().toMap();
    ArtifactRef model =
        context.putArtifact(
            "model.params", new ByteArrayInputStream(result.parameters()), ModelCodec.MEDIA_TYPE);
    TaskOutputs outputs =
        TaskOutputs.empty()
            .withArtifact("model", model)
            .with("properties", settings.spec().toProperties())
            .with("metrics", metrics)
            .with("epochs", epochs)
            .with("resumedAfterEpoch", start.epochsDone());
    for (Map.Entry<String, Double> metric : metrics.entrySet()) {
      if (!"epoch".equals(metric.getKey())) {
        outputs = outputs.with(metric.getKey(), metric.getValue());
      }
    }
    return outputs.withMetrics(metrics);
  }

  private static ClassifierTraining.Settings settings(TaskContext context, int width, int classes) {
    String architecture = Params.text(context, "architecture", ModelSpec.MLP);
    int[] hidden =
        Params.numbers(
            context,
            "hidden",
            ModelSpec.CNN.equals(architecture) ? new int[] {120, 84} : new int[] {128});
    try {
      return new ClassifierTraining.Settings(
          new ModelSpec(architecture, hidden, width, classes),
          Params.positive(context, "epochs", 5),
          Params.positive(context, "batchSize", 64),
          (float) Params.decimal(context, "learningRate", 0.001),
          Params.text(context, "optimizer", "adam"),
          Params.number(context, "seed", 42));
    } catch (IllegalArgumentException e) {
      throw new TaskFailedException("params: " + e.getMessage(), false);
    }
  }

  /** After the last checkpoint of this task, if one of an earlier attempt fits the params. */
  private static ClassifierTraining.Start resume(
      TaskContext context, ClassifierTraining.Settings settings) {
    Optional<Checkpoint> checkpoint = lastCheckpoint(context);
    if (checkpoint.isEmpty()) {
      return ClassifierTraining.Start.fresh();
    }
    Checkpoint last = checkpoint.get();
    if (!last.spec().equals(settings.spec().toProperties())
        || last.epochsDone() > settings.epochs()) {
      log.warn(
          "Task {}/{}: checkpoint after epoch {} is of {}, not of {}; training from scratch",
          context.runId(),
          context.taskId(),
          last.epochsDone(),
          last.spec(),
          settings.spec().toProperties());
      return ClassifierTraining.Start.fresh();
    }
    log.info(
        "Task {}/{} attempt {}: resuming after epoch {}",
        context.runId(),
        context.taskId(),
        context.attempt(),
        last.epochsDone());
    return new ClassifierTraining.Start(last.epochsDone(), last.parameters());
  }

  private static Optional<Checkpoint> lastCheckpoint(TaskContext context) {
    Optional<ArtifactRef> ref =
        context.artifacts().latest(context.runId(), context.taskId(), CHECKPOINT);
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = context.artifacts().open(ref.get())) {
      return Optional.of(Checkpoint.decode(in));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Cannot read checkpoint {}; training from scratch: {}", ref.get().getUri(), e.toString());
      return Optional.empty();
    }
  }

  /** A resumed attempt with nothing left to train reports the checkpoint's metrics. */
  private static Map<String, Double> resumedMetrics(TaskContext context) {
    return lastCheckpoint(context)
        .map(c -> (Map<String, Double>) new LinkedHashMap<>(c.metrics()))
        .orElseGet(LinkedHashMap::new);
  }
}

package io.weft.ml.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.weft.common.WeftException;
import io.weft.core.api.ModelRegistry;
import io.weft.ml.api.ArtifactModelLoader;
import io.weft.ml.api.Classifier;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Task type {@code batch-infer}: classifies every example of a stored dataset with a registered
 * model and stores the predictions.
 *
 * <p>Params: {@code name} (required, the model), {@code version} (optional; default the version in
 * production), {@code dataset} (required, an artifact written by {@code prepare-data}, e.g. {@code
 * ${tasks.prepare.outputs.test}}: a DJL {@code NDList} of features {@code [n, width]} and,
 * optionally, labels {@code [n]}), {@code classes} (default 10: labels must lie in {@code [0,
 * classes)}).
 *
 * <p>Outputs: the artifact {@code predictions} (CSV with header {@code index,label,predicted}; the
 * label is empty when the dataset has none), {@code count}, {@code modelVersion}, and {@code
 * accuracy} (the share of correct predictions) when the dataset has labels.
 *
 * <p>An unknown model or version, a dataset that is not an {@code NDList} of features, or features
 * of another width than the model's fail without retry, naming what does not fit.
 */
public final class BatchInfer extends RegistryTaskHandler {

  public static final String TYPE = "batch-infer";
  static final int BATCH = 256;

  /** Finds the version to use: {@code version} of {@code name}, or production when null. */
  @FunctionalInterface
  interface VersionLookup {
    ModelVersion find(String name, Integer version);
  }

  private final VersionLookup lookup;

  /** For the worker: the registry is created from the worker's settings ({@link #configure}). */
  public BatchInfer() {
    super(null);
    this.lookup = (name, version) -> find(registry(), name, version);
  }

  /** Reads models from {@code registry}, which the caller closes. */
  public BatchInfer(ModelRegistry registry) {
    super(registry);
    this.lookup = (name, version) -> find(registry(), name, version);
  }

  /** Reads models through {@code lookup} (tests). */
  BatchInfer(VersionLookup lookup) {
    super(null);
    this.lookup = lookup;
  }

  @Override
  public String taskType() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Classifies a stored dataset with a registered model; predictions as CSV, accuracy";
  }

  @Override
  public TaskOutputs execute(TaskContext context) {
    String name = Params.text(context, "name", null);
    Integer version = Params.has(context, "version") ? Params.number(context, "version") : null;
    ArtifactRef datasetRef = Params.artifact(context, "dataset");
    int classes = Params.positive(context, "classes", 10);
    ModelVersion model = lookup.find(name, version);
    Dataset dataset = Dataset.read(context, datasetRef, classes);
    Classifier classifier;
    try {
      classifier = new ArtifactModelLoader(context.artifacts()).loadClassifier(model);
    } catch (WeftException e) {
      throw new TaskFailedException(e.getMessage(), false, e);
    }
    long[] predicted;
    try (classifier) {
      int width = classifier.spec().width();
      if (dataset.width() != width) {
        throw new TaskFailedException(
            "param dataset: examples have "
                + dataset.width()
                + " features, but model '"
                + name
                + "' version "
                + model.getVersion()
                + " expects "
                + width,
            false);
      }
      predicted = predict(context, classifier, dataset);
    }
    return outputs(context, model, dataset, predicted);
  }

  private static long[] predict(TaskContext context, Classifier classifier, Dataset dataset) {
    int width = dataset.width();
    long[] predicted = new long[dataset.size()];
    for (int start = 0; start < dataset.size(); start += BATCH) {
      if (context.isCancelled()) {
        throw new TaskFailedException("cancelled after " + start + " examples", false);
      }
      int rows = Math.min(BATCH, dataset.size() - start);
      float[] batch = Arrays.copyOfRange(dataset.features(), start * width, (start + rows) * width);
      long[] labels = classifier.predict(batch, rows).labels();
      System.arraycopy(labels, 0, predicted, start, rows);
    }
    return predicted;
  }

  private static TaskOutputs outputs(
      TaskContext context, ModelVersion model, Dataset dataset, long[] predicted) {
    StringBuilder csv = new StringBuilder("index,label,predicted\n");
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      csv.append(i).append(',');
      if (dataset.labels() != null) {
        csv.append(dataset.labels()[i]);
        correct += dataset.labels()[i] == predicted[i] ? 1 : 0;
      }
      csv.append(',').append(predicted[i]).append('\n');
    }
    ArtifactRef predictions =
        context.putArtifact(
            "predictions.csv",
            new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
            "text/csv");
    TaskOutputs outputs =
        TaskOutputs.empty()
            .withArtifact("predictions", predictions)
            .with("count", predicted.length)
            .with("modelVersion", model.getVersion());
    if (dataset.labels() != null && predicted.length > 0) {
      outputs = outputs.with("accuracy", (double) correct / predicted.length);
    }
    return outputs;
  }

  private static ModelVersion find(ModelRegistry registry, String name, Integer version) {
    try {
      if (version == null) {
        return registry
            .production(name)
            .orElseThrow(
                () ->
                    new TaskFailedException(
                        "model '" + name + "' has no production version; give param version",
                        false));
      }
      return registry
          .version(name, version)
          .orElseThrow(
              () ->
                  new TaskFailedException("model '" + name + "' has no version " + version, false));
    } catch (IllegalArgumentException e) {
      throw new TaskFailedException("param name: " + e.getMessage(), false, e);
    }
  }

  /** A stored dataset: features row after row, labels if it has them (else null). */
  private record Dataset(float[] features, int[] labels, int width) {

    int size() {
      return width == 0 ? 0 : features.length / width;
    }

    static Dataset read(TaskContext context, ArtifactRef ref, int classes) {
      byte[] bytes;
      try (InputStream in = context.artifacts().open(ref)) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new TaskFailedException("Cannot read dataset " + ref.getUri() + ": " + e, true, e);
      }
      try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
        NDList list = NDList.decode(manager, bytes);
        NDArray features = list.isEmpty() ? null : list.get(0);
        if (features == null || features.getShape().dimension() != 2) {
          throw new TaskFailedException(
              "param dataset: "
                  + ref.getUri()
                  + " holds no features [n, width]"
                  + (features == null ? "" : ", but " + features.getShape()),
              false);
        }
        int[] labels =
            list.size() > 1 ? list.get(1).toType(DataType.INT32, false).toIntArray() : null;
        int width = (int) features.getShape().get(1);
        float[] values = features.toType(DataType.FLOAT32, false).toFloatArray();
        if (labels != null) {
          checkLabels(ref, labels, values.length / Math.max(1, width), classes);
        }
        return new Dataset(values, labels, width);
      } catch (RuntimeException e) {
        if (e instanceof TaskFailedException failed) {
          throw failed;
        }
        throw new TaskFailedException(
            "param dataset: " + ref.getUri() + " is not a DJL NDList dataset: " + e.getMessage(),
            false,
            e);
      }
    }

    private static void checkLabels(ArtifactRef ref, int[] labels, int rows, int classes) {
      if (labels.length != rows) {
        throw new TaskFailedException(
            "param dataset: "
                + ref.getUri()
                + " has "
                + rows
                + " examples but "
                + labels.length
                + " labels",
            false);
      }
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0 || labels[i] >= classes) {
          throw new TaskFailedException(
              "param dataset: label "
                  + labels[i]
                  + " of example "
                  + i
                  + " in "
                  + ref.getUri()
                  + " is not in [0, "
                  + classes
                  + ") (param classes)",
              false);
        }
      }
    }
  }
}

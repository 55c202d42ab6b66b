package io.weft.ml.internals.dl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.weft.common.WeftException;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.data.LabeledData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains a classifier ({@link ModelSpec}) on DJL's PyTorch engine, epoch by epoch, with softmax
 * cross-entropy: the core of the {@code train} task type, without Kafka. A listener sees every
 * epoch with the block's parameters, to report progress and to checkpoint; training can resume from
 * saved parameters at a later epoch.
 */
public final class ClassifierTraining {

  /** Optimizers by name. */
  public static final List<String> OPTIMIZERS = List.of("adam", "sgd");

  /** What to train, and how. */
  public record Settings(
      ModelSpec spec, int epochs, int batchSize, float learningRate, String optimizer, long seed) {

    public Settings {
      if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
        throw new IllegalArgumentException(
            "epochs and batch size must be positive and the learning rate above 0, got "
                + epochs
                + ", "
                + batchSize
                + ", "
                + learningRate);
      }
      optimizer = optimizer.toLowerCase(Locale.ROOT);
      if (!OPTIMIZERS.contains(optimizer)) {
        throw new IllegalArgumentException(
            "optimizer '" + optimizer + "' is not one of " + String.join(", ", OPTIMIZERS));
      }
    }
  }

  /** Sees each finished epoch; returns false to stop training after it. */
  @FunctionalInterface
  public interface EpochListener {
    boolean onEpoch(EpochMetrics metrics, byte[] parameters);
  }

  /**
   * Where training starts: from scratch ({@link #fresh()}) or after {@code epochsDone} epochs with
   * the parameters saved then.
   */
  public record Start(int epochsDone, byte[] parameters) {
    public static Start fresh() {
      return new Start(0, null);
    }
  }

  /** The epochs trained in this call, and the parameters after the last one. */
  public record Result(List<EpochMetrics> epochs, byte[] parameters) {
    /** The last epoch's metrics. */
    public EpochMetrics last() {
      return epochs.get(epochs.size() - 1);
    }
  }

  /** Held for each training step: one gradient collector per process (see the class doc). */
  private static final ReentrantLock STEP = new ReentrantLock(true);

  private ClassifierTraining() {}

  /**
   * Trains epochs {@code start.epochsDone() + 1} to {@code settings.epochs()}.
   *
   * @param validation validation examples, or null
   * @param listener called after each epoch, never null
   * @throws WeftException if training fails (the message names why)
   */
  public static Result train(
      LabeledData train,
      LabeledData validation,
      Settings settings,
      Start start,
      EpochListener listener) {
    return train(train, validation, settings, start, null, listener);
  }

  /**
   * Trains as {@link #train(LabeledData, LabeledData, Settings, Start, EpochListener)} does, on
   * {@code device} ({@link Devices}; null: the engine's default).
   *
   * @param listener called after each epoch, never null
   */
  public static Result train(
      LabeledData train,
      LabeledData validation,
      Settings settings,
      Start start,
      Device device,
      EpochListener listener) {
    if (train.size() == 0) {
      throw new IllegalArgumentException("no training examples");
    }
    // each epoch's shuffle is seeded, so a resumed run sees the epochs an uninterrupted one would
    Engine engine = Engine.getEngine("PyTorch");
    try (Model model = Model.newInstance("classifier", device, "PyTorch");
        NDManager manager = NDManager.newBaseManager(device, "PyTorch")) {
      model.setBlock(settings.spec().block());
      engine.setRandomSeed((int) settings.seed());
      if (start.parameters() != null) {
        model
            .getBlock()
            .loadParameters(
                model.getNDManager(),
                new java.io.DataInputStream(new ByteArrayInputStream(start.parameters())));
      }
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(optimizer(settings));
      List<EpochMetrics> epochs = new ArrayList<>();
      byte[] parameters = start.parameters();
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(1, train.width()));
        ArrayDataset trainSet = dataset(manager, train, settings.batchSize(), true);
        ArrayDataset validationSet =
            validation == null || validation.size() == 0
                ? null
                : dataset(manager, validation, settings.batchSize(), false);
        for (int epoch = start.epochsDone() + 1; epoch <= settings.epochs(); epoch++) {
          engine.setRandomSeed((int) settings.seed() + epoch);
          EpochMetrics metrics = epoch(trainer, epoch, trainSet, validationSet);
          epochs.add(metrics);
          parameters = save(model);
          if (!listener.onEpoch(metrics, parameters)) {
            break;
          }
        }
      }
      return new Result(epochs, parameters);
    } catch (IOException | TranslateException | ai.djl.MalformedModelException e) {
      throw new WeftException("Training failed: " + e.getMessage(), e);
    }
  }

  private static EpochMetrics epoch(
      Trainer trainer, int epoch, ArrayDataset trainSet, ArrayDataset validationSet)
      throws IOException, TranslateException {
    Tally training = new Tally();
    long began = System.nanoTime();
    for (Batch batch : trainer.iterateDataset(trainSet)) {
      STEP.lock();
      try (batch) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDList predictions = trainer.forward(batch.getData(), batch.getLabels());
          NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
          collector.backward(loss);
          training.add(loss, predictions, batch.getLabels());
        }
        trainer.step();
      } finally {
        STEP.unlock();
      }
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    Tally validating = new Tally();
    if (validationSet != null) {
      for (Batch batch : trainer.iterateDataset(validationSet)) {
        try (batch) {
          NDList predictions = trainer.evaluate(batch.getData());
          validating.add(
              trainer.getLoss().evaluate(batch.getLabels(), predictions),
              predictions,
              batch.getLabels());
        }
      }
    }
    return new EpochMetrics(
        epoch,
        training.meanLoss(),
        training.accuracy(),
        validating.meanLoss(),
        validating.accuracy(),
        training.count / Math.max(seconds, 1e-9));
  }

  /** Loss and correct answers summed over batches. */
  private static final class Tally {
    private double lossSum;
    private long correct;
    private long count;

    void add(NDArray loss, NDList predictions, NDList labels) {
      long n = labels.head().getShape().get(0);
      lossSum += loss.getFloat() * n;
      NDArray predicted = predictions.head().argMax(1).toType(DataType.INT64, false);
      correct += predicted.eq(labels.head().toType(DataType.INT64, false)).sum().getLong();
      count += n;
    }

    double meanLoss() {
      return count == 0 ? Double.NaN : lossSum / count;
    }

    double accuracy() {
      return count == 0 ? Double.NaN : (double) correct / count;
    }
  }

  private static Optimizer optimizer(Settings settings) {
    Tracker rate = Tracker.fixed(settings.learningRate());
    return "sgd".equals(settings.optimizer())
        ? Optimizer.sgd().setLearningRateTracker(rate).optMomentum(0.9f).build()
        : Optimizer.adam().optLearningRateTracker(rate).build();
  }

  private static byte[] save(Model model) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelCodec.save(model.getBlock(), out);
    return out.toByteArray();
  }

  /** The examples as one dataset, features {@code [n, width]} and labels {@code [n]}. */
  static ArrayDataset dataset(NDManager manager, LabeledData data, int batchSize, boolean shuffle) {
    NDArray features = manager.create(data.features(), new Shape(data.size(), data.width()));
    float[] labels = new float[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.labels()[i];
    }
    return new ArrayDataset.Builder()
        .setData(features)
        .optLabels(manager.create(labels, new Shape(data.size())))
        .setSampling(batchSize, shuffle)
        .build();
  }
}

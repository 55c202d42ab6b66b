package io.weft.workers.internals.dl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.weft.common.WeftException;
import io.weft.workers.internals.data.LabeledData;
import java.io.IOException;

/**
 * Trains a multi-layer perceptron classifier on DJL's PyTorch engine and measures it: the core of
 * the {@code train} task type, without Kafka.
 */
public final class MlpTrainer {

  /** What to train. */
  public record Settings(int[] hidden, int epochs, int batchSize, float learningRate, long seed) {}

  /** How training went. */
  public record Result(float trainAccuracy, float validationAccuracy, float loss) {}

  private MlpTrainer() {}

  public static Result train(LabeledData train, LabeledData validation, Settings settings) {
    Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
    try (Model model = Model.newInstance("mlp", "PyTorch");
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      model.setBlock(mlp(train.width(), train.classes(), settings.hidden()));
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(
                  Optimizer.adam()
                      .optLearningRateTracker(Tracker.fixed(settings.learningRate()))
                      .build())
              .addEvaluator(new Accuracy())
              .addTrainingListeners(TrainingListener.Defaults.basic());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(1, train.width()));
        EasyTrain.fit(
            trainer,
            settings.epochs(),
            dataset(manager, train, settings.batchSize(), true),
            dataset(manager, validation, settings.batchSize(), false));
        TrainingResult result = trainer.getTrainingResult();
        return new Result(
            result.getTrainEvaluation("Accuracy"),
            result.getValidateEvaluation("Accuracy"),
            result.getTrainLoss());
      }
    } catch (IOException | TranslateException e) {
      throw new WeftException("Training failed: " + e.getMessage(), e);
    }
  }

  /** Dense layers with ReLU between them, ending in one output per class (logits). */
  static Block mlp(int width, int classes, int[] hidden) {
    SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock(width));
    for (int units : hidden) {
      block.add(Linear.builder().setUnits(units).build()).add(Activation::relu);
    }
    return block.add(Linear.builder().setUnits(classes).build());
  }

  private static ArrayDataset dataset(
      NDManager manager, LabeledData data, int batchSize, boolean shuffle) {
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

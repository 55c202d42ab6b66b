package io.weft.serving.internals;

import io.weft.ml.api.Classifier;
import io.weft.ml.api.ClassifierServable;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorSpec;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A classifier whose every logit is its version number, so answers show which version gave them;
 * {@link #hold()} makes predictions wait until {@link #release()}. Served as {@link
 * ClassifierServable} serves a real one.
 */
public final class FakeClassifier implements Classifier, Servable {

  private final ModelSpec spec;
  private final int version;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final CountDownLatch entered = new CountDownLatch(1);

  private final ClassifierServable served;

  public FakeClassifier(ModelSpec spec, int version) {
    this.spec = spec;
    this.version = version;
    this.served = new ClassifierServable(this);
  }

  /** The fake that {@code model} serves. */
  public static FakeClassifier of(ServedModel model) {
    return (FakeClassifier) model.servable();
  }

  @Override
  public String platform() {
    return served.platform();
  }

  @Override
  public List<TensorSpec> inputs() {
    return served.inputs();
  }

  @Override
  public List<TensorSpec> outputs() {
    return served.outputs();
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs) {
    return served.infer(inputs);
  }

  @Override
  public boolean rowsAreIndependent() {
    return served.rowsAreIndependent();
  }

  public FakeClassifier hold() {
    gate = new CountDownLatch(1);
    return this;
  }

  public void release() {
    gate.countDown();
  }

  /** Waits until a prediction has started. */
  public boolean awaitPredicting() throws InterruptedException {
    return entered.await(10, TimeUnit.SECONDS);
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public Prediction predict(float[] features, int rows) {
    if (closed.get()) {
      throw new IllegalStateException("predict on a closed classifier");
    }
    entered.countDown();
    try {
      if (!gate.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("held for more than 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    float[] logits = new float[rows * spec.classes()];
    java.util.Arrays.fill(logits, version);
    long[] labels = new long[rows];
    java.util.Arrays.fill(labels, version % spec.classes());
    return new Prediction(logits, labels);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      throw new IllegalStateException("closed twice");
    }
  }
}

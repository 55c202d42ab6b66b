package io.weft.serving.internals;

import io.weft.ml.api.Classifier;
import io.weft.ml.api.ModelSpec;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A classifier whose every logit is its version number, so answers show which version gave them;
 * {@link #hold()} makes predictions wait until {@link #release()}.
 */
public final class FakeClassifier implements Classifier {

  private final ModelSpec spec;
  private final int version;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final CountDownLatch entered = new CountDownLatch(1);

  public FakeClassifier(ModelSpec spec, int version) {
    this.spec = spec;
    this.version = version;
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

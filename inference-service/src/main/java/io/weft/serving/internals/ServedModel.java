package io.weft.serving.internals;

import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded version of a model, reference-counted: whoever holds it (the slot that serves it, each
 * request using it) holds a reference, and the model is closed when the last one is released.
 * Created holding one reference, its owner's.
 */
public final class ServedModel {

  private static final Logger log = LoggerFactory.getLogger(ServedModel.class);

  private final String name;
  private final int version;
  private final Servable servable;
  private final AtomicInteger references = new AtomicInteger(1);

  public ServedModel(String name, int version, Servable servable) {
    this.name = name;
    this.version = version;
    this.servable = servable;
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  public Servable servable() {
    return servable;
  }

  /**
   * Runs a forward pass on {@code inputs} on {@code forwardPasses} (the calling thread itself if it
   * runs tasks at once), or, if the model's requests are merged ({@link DynamicBatcher}), queues
   * them for a merged pass. Either way the answer, or the pass's failure, completes the future. The
   * caller keeps its reference until then.
   */
  public CompletableFuture<List<Tensor>> infer(List<Tensor> inputs, Executor forwardPasses) {
    if (servable instanceof DynamicBatcher batcher) {
      return batcher.submit(inputs);
    }
    try {
      return CompletableFuture.supplyAsync(() -> servable.infer(inputs), forwardPasses);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(HttpProblem.unavailable("the server is shutting down"));
    }
  }

  /** Whether the model's requests are merged: {@link #infer} then never runs the model itself. */
  public boolean isBatched() {
    return servable instanceof DynamicBatcher;
  }

  /**
   * Takes one more reference, unless the model is already closed.
   *
   * @return false if the last reference was released before: the model must not be used
   */
  public boolean tryAcquire() {
    while (true) {
      int count = references.get();
      if (count <= 0) {
        return false;
      }
      if (references.compareAndSet(count, count + 1)) {
        return true;
      }
    }
  }

  /** Gives one reference back; the last one closes the model. */
  public void release() {
    int count = references.decrementAndGet();
    if (count == 0) {
      log.info("Closing model '{}' version {}: no request uses it any more", name, version);
      servable.close();
    } else if (count < 0) {
      throw new IllegalStateException(
          "model '" + name + "' version " + version + " released more often than acquired");
    }
  }

  /** Whether the model has been closed. */
  public boolean isClosed() {
    return references.get() <= 0;
  }

  @Override
  public String toString() {
    return name + " v" + version;
  }
}

package io.weft.serving.internals;

import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * How a model's requests reach it: merged by a {@link DynamicBatcher} when batching is on for it
 * and it can be batched, one forward pass each otherwise; either way every forward pass's rows are
 * counted. A model whose rows are not known to be independent ({@link
 * Servable#rowsAreIndependent()}: one from elsewhere) is batched only when batching was turned on
 * for it by name.
 *
 * @param maxBatch the most rows of one merged forward pass; 1 turns batching off
 * @param maxDelayMicros how long a request waits for others to join it
 * @param concurrency how many forward passes of the model run at once
 * @param named whether batching was set for this model by name, rather than for every model
 */
public record Batching(int maxBatch, long maxDelayMicros, int concurrency, boolean named) {

  /** Batching off. */
  public static final Batching OFF = new Batching(1, 0, 1, false);

  public Batching {
    if (maxBatch < 1 || maxDelayMicros < 0 || concurrency < 1) {
      throw new IllegalArgumentException(
          "batching needs max.batch >= 1, max.delay.us >= 0, concurrency >= 1");
    }
  }

  public boolean isOn() {
    return maxBatch > 1;
  }

  /**
   * {@code model}, served by this policy.
   *
   * @param forwardPass told the rows of each forward pass
   */
  public Servable serve(Servable model, String name, IntConsumer forwardPass) {
    if (isOn() && model.isBatchable() && (named || model.rowsAreIndependent())) {
      return new DynamicBatcher(model, name, maxBatch, maxDelayMicros, concurrency, forwardPass);
    }
    return new Counted(model, forwardPass);
  }

  /** A model called directly, its forward passes counted. */
  private static final class Counted extends ForwardingServable {
    private final IntConsumer forwardPass;

    Counted(Servable model, IntConsumer forwardPass) {
      super(model);
      this.forwardPass = forwardPass;
    }

    @Override
    public List<Tensor> infer(List<Tensor> inputs) {
      forwardPass.accept(inputs.isEmpty() ? 0 : (int) inputs.get(0).rows());
      return model.infer(inputs);
    }

    @Override
    public void close() {
      model.close();
    }
  }
}

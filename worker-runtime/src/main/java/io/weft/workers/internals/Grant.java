package io.weft.workers.internals;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one attempt holds of its worker's {@link Capacity}: cores, bytes and the indices of its
 * GPUs. Released once, by whichever comes first: its handler returning or its abandonment.
 */
public final class Grant {

  /** Holds nothing: for attempts whose worker admits by slots only. */
  static final Grant NONE = new Grant(null, 0, 0, List.of());

  private final Capacity capacity;
  private final double cpu;
  private final long memory;
  private final List<Integer> gpus;
  private final AtomicBoolean released = new AtomicBoolean();

  Grant(Capacity capacity, double cpu, long memory, List<Integer> gpus) {
    this.capacity = capacity;
    this.cpu = cpu;
    this.memory = memory;
    this.gpus = gpus;
  }

  double cpu() {
    return cpu;
  }

  long memory() {
    return memory;
  }

  /** The indices of the GPUs granted, from 0; empty for none. */
  public List<Integer> gpus() {
    return gpus;
  }

  /** Gives the resources back, the first time only, and tells the capacity's listeners. */
  void release() {
    if (capacity != null && released.compareAndSet(false, true)) {
      capacity.release(this);
      if (cpu > 0 || memory > 0 || !gpus.isEmpty()) {
        capacity.released();
      }
    }
  }
}

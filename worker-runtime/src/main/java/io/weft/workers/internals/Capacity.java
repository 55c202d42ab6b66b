package io.weft.workers.internals;

import io.weft.core.api.Resources;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What one worker process may run at once (CPU cores, memory, GPUs), shared by all its task loops,
 * and what its running attempts hold of it. An attempt holds what its task declared ({@link
 * Resources}, nothing for what it does not declare) from its start until its handler returns or it
 * is abandoned. Thread-safe: loops acquire on their poll threads, handlers release on theirs.
 */
public final class Capacity {

  private final Resources total;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private double cpuUsed;
  private long memoryUsed;
  private final BitSet gpusUsed = new BitSet();

  /**
   * @param total cores, bytes and GPUs, all set
   */
  public Capacity(Resources total) {
    if (total.cpu() == null || total.memory() == null || total.gpu() == null) {
      throw new IllegalArgumentException("a capacity names cpu, memory and gpu: " + total);
    }
    this.total = total;
  }

  /** The whole capacity. */
  public Resources total() {
    return total;
  }

  /** Whether this worker has GPUs. */
  public boolean hasGpus() {
    return total.gpu() > 0;
  }

  /**
   * What of {@code need} exceeds the whole capacity, e.g. {@code "memory 64Gi (capacity 16Gi)"};
   * empty if it fits when nothing else runs.
   */
  public List<String> exceeding(Resources need) {
    List<String> over = new ArrayList<>();
    if (need.cpu() != null && need.cpu() > total.cpu() + 1e-9) {
      over.add("cpu " + cores(need.cpu()) + " (capacity " + cores(total.cpu()) + ")");
    }
    if (need.memory() != null && need.memory() > total.memory()) {
      over.add(
          "memory "
              + Resources.formatSize(need.memory())
              + " (capacity "
              + Resources.formatSize(total.memory())
              + ")");
    }
    if (need.gpu() != null && need.gpu() > total.gpu()) {
      over.add("gpu " + need.gpu() + " (capacity " + total.gpu() + ")");
    }
    return over;
  }

  /**
   * Takes {@code need} if it fits beside what runs now: the grant, to {@link #release} once; null
   * if it does not fit now.
   */
  public synchronized Grant tryAcquire(Resources need) {
    double cpu = need.cpu() == null ? 0 : need.cpu();
    long memory = need.memory() == null ? 0 : need.memory();
    int gpu = need.gpu() == null ? 0 : need.gpu();
    boolean fits =
        cpuUsed + cpu <= total.cpu() + 1e-9
            && memoryUsed + memory <= total.memory()
            && gpusUsed.cardinality() + gpu <= total.gpu();
    if (!fits) {
      return null;
    }
    cpuUsed += cpu;
    memoryUsed += memory;
    List<Integer> gpus = new ArrayList<>(gpu);
    for (int index = gpusUsed.nextClearBit(0); gpus.size() < gpu; ) {
      gpus.add(index);
      gpusUsed.set(index);
      index = gpusUsed.nextClearBit(index + 1);
    }
    return new Grant(this, cpu, memory, List.copyOf(gpus));
  }

  /** Runs {@code listener} (on the releasing thread) whenever a grant is released. */
  public void onRelease(Runnable listener) {
    listeners.add(listener);
  }

  synchronized void release(Grant grant) {
    cpuUsed = Math.max(0, cpuUsed - grant.cpu());
    memoryUsed = Math.max(0, memoryUsed - grant.memory());
    grant.gpus().forEach(gpusUsed::clear);
  }

  void released() {
    listeners.forEach(Runnable::run);
  }

  /** What running attempts hold now. */
  public synchronized Resources used() {
    return new Resources(cpuUsed, memoryUsed, gpusUsed.cardinality());
  }

  private static String cores(double cpu) {
    return cpu == Math.rint(cpu) ? Long.toString((long) cpu) : Double.toString(cpu);
  }

  @Override
  public String toString() {
    return total.toString();
  }
}

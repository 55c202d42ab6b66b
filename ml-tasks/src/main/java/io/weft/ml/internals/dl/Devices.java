package io.weft.ml.internals.dl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the deep-learning task types choose their device: the first GPU the worker
 * granted the attempt ({@link TaskContext#gpus()}), or the CPU for a task that declared no GPU. A
 * granted GPU that PyTorch cannot see (a worker declaring GPUs it lacks, or a CPU-only PyTorch)
 * fails the attempt, unless the task allows a CPU fallback with param {@value #CPU_FALLBACK}.
 */
public final class Devices {

  /** The param by which a task allows running on the CPU when its granted GPU is missing. */
  public static final String CPU_FALLBACK = "cpuFallback";

  private static final Logger log = LoggerFactory.getLogger(Devices.class);

  private Devices() {}

  /** The device of the attempt in {@code context}. */
  public static Device of(TaskContext context, boolean cpuFallback) {
    List<Integer> granted = context.gpus();
    if (granted.isEmpty()) {
      return Device.cpu();
    }
    Device device = choose(granted, Engine.getEngine("PyTorch").getGpuCount(), cpuFallback);
    if (device.isGpu()) {
      log.info("{} runs on {}", context.idempotencyKey(), device);
    } else {
      log.warn(
          "{} was granted GPU {} but PyTorch sees none there; it runs on the CPU ({}: true)",
          context.idempotencyKey(),
          granted,
          CPU_FALLBACK);
    }
    return device;
  }

  /**
   * The device for an attempt granted {@code granted} GPUs (indices) on a machine where PyTorch
   * sees {@code visibleGpus}: the first granted, the CPU when none is granted, or when the granted
   * one is not visible and {@code cpuFallback}.
   *
   * @throws TaskFailedException (not retryable) if the granted GPU is not visible and the task does
   *     not allow the CPU
   */
  static Device choose(List<Integer> granted, int visibleGpus, boolean cpuFallback) {
    if (granted.isEmpty()) {
      return Device.cpu();
    }
    int index = granted.get(0);
    if (index < visibleGpus) {
      return Device.gpu(index);
    }
    if (cpuFallback) {
      return Device.cpu();
    }
    throw new TaskFailedException(
        "the worker granted GPU "
            + index
            + " but PyTorch sees "
            + visibleGpus
            + " GPU(s) here (worker.capacity.gpu says more than the machine has, or PyTorch is"
            + " CPU-only); set param "
            + CPU_FALLBACK
            + ": true to let the task run on the CPU instead",
        false);
  }
}

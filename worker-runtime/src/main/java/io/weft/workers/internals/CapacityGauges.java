package io.weft.workers.internals;

import static io.weft.core.metrics.WeftMeters.CAPACITY_USED;

import io.micrometer.core.instrument.MeterRegistry;
import io.weft.core.api.Resources;
import java.util.function.ToDoubleFunction;

/** The gauges of a worker's {@link Capacity}: what its running attempts hold, per resource. */
final class CapacityGauges {

  private CapacityGauges() {}

  static void register(MeterRegistry registry, Capacity capacity) {
    Resources total = capacity.total();
    gauge(registry, capacity, "cpu", used -> used.cpu() / total.cpu());
    gauge(registry, capacity, "memory", used -> (double) used.memory() / total.memory());
    gauge(
        registry,
        capacity,
        "gpu",
        used -> total.gpu() == 0 ? 0 : (double) used.gpu() / total.gpu());
  }

  private static void gauge(
      MeterRegistry registry,
      Capacity capacity,
      String resource,
      ToDoubleFunction<Resources> fraction) {
    CAPACITY_USED.gauge(registry, capacity, c -> fraction.applyAsDouble(c.used()), resource);
  }
}

package io.weft.serving.internals;

import static io.weft.core.metrics.WeftMeters.INFERENCE_BATCH;
import static io.weft.core.metrics.WeftMeters.INFERENCE_LATENCY;
import static io.weft.core.metrics.WeftMeters.INFERENCE_REFUSED;
import static io.weft.core.metrics.WeftMeters.INFERENCE_REQUESTS;
import static io.weft.core.metrics.WeftMeters.MODEL_LOADS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The inference service's meters ({@code weft_inference_*}; see {@code docs/metrics.md}): requests
 * by model, version and status, their latency, rows per forward pass, model versions loaded, and
 * requests refused by reason. Meters per tag set are cached: requests are the hot path.
 */
public final class InferenceMetrics {

  private final MeterRegistry registry;
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> batches = new ConcurrentHashMap<>();

  /** Meters in a registry of their own (tests). */
  public InferenceMetrics() {
    this(new SimpleMeterRegistry());
  }

  public InferenceMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Refusal refusal : Refusal.values()) {
      refused.put(refusal, INFERENCE_REFUSED.counter(registry, refusal.tag()));
    }
  }

  /** A request refused for {@code refusal}, whatever its endpoint. */
  void refused(Refusal refusal) {
    refused.get(refusal).increment();
  }

  /**
   * An infer request for {@code model} answered with {@code status} after {@code nanos}; {@code
   * version} is empty when no version was chosen (the request failed before).
   */
  void answered(String model, String version, int status, long nanos) {
    String key = model + '\0' + version;
    requests
        .computeIfAbsent(
            key + '\0' + status,
            k -> INFERENCE_REQUESTS.counter(registry, model, version, String.valueOf(status)))
        .increment();
    latencies
        .computeIfAbsent(key, k -> INFERENCE_LATENCY.timer(registry, model, version))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A forward pass of {@code rows} rows of {@code model}. */
  public void batch(String model, int rows) {
    batches.computeIfAbsent(model, m -> INFERENCE_BATCH.summary(registry, m)).record(rows);
  }

  /** {@code version} of {@code model} loaded for serving. */
  void loaded(String model, int version) {
    MODEL_LOADS.counter(registry, model, String.valueOf(version)).increment();
  }

  public MeterRegistry registry() {
    return registry;
  }
}

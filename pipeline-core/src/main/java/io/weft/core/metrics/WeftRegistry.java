package io.weft.core.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The meter registry of one Weft component: Prometheus' format, JVM and process metrics bound, and
 * every meter tagged with the component ({@code coordinator}, {@code worker}, {@code inference}).
 * Close it with the component.
 */
public final class WeftRegistry implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private WeftRegistry(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The system property that turns every meter off when {@code false}: {@code /metrics} still
   * answers, empty (to measure what metrics cost; see {@code docs/performance.md}).
   */
  public static final String ENABLED_PROPERTY = "weft.metrics.enabled";

  /** A registry for {@code component}, with the JVM's and the process's metrics. */
  public static WeftRegistry create(String component) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WeftRegistry weft = new WeftRegistry(registry);
    if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY))) {
      registry.config().meterFilter(MeterFilter.deny());
      return weft;
    }
    registry.config().commonTags(Tags.of("component", component));
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    weft.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return weft;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}

package io.weft.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics reference ({@code docs/metrics.md}): each of {@link WeftMeters#ALL} registered in a
 * Prometheus registry of its own, so that the names, types and labels listed are the ones a scrape
 * shows.
 */
public final class MetricsDocs {

  /** How to regenerate the file. */
  public static final String REGENERATE = "WEFT_REBUILD=1 ./weft metrics-docs > docs/metrics.md";

  private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

  static {
    COMPONENTS.put(
        "coordinator", "The coordinator: `GET /metrics` on its query API (`weft.query.port`).");
    COMPONENTS.put(
        "worker",
        "A worker: `GET /metrics` on `worker.metrics.port` (off unless set), one series per task"
            + " type it serves.");
    COMPONENTS.put(
        "inference", "The inference service: `GET /metrics` on its port (`serve.port`).");
  }

  private MetricsDocs() {}

  /** The reference, as markdown. */
  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Metrics reference\n\n")
        .append("<!-- generated from Weft's meter catalogue; do not edit. Regenerate with: ")
        .append(REGENERATE)
        .append(" -->\n\n")
        .append(
            "Every Weft process serves Prometheus' text format at `GET /metrics` (OpenMetrics or"
                + " Prometheus' protobuf format when the scraper's `Accept` header asks for them)."
                + " Every series carries a `component` label (`coordinator`, `worker`,"
                + " `inference`). Durations are in seconds; histograms have `_bucket`, `_count`"
                + " and `_sum` series and a `_max` gauge (the largest value of the last few"
                + " minutes).\n\n")
        .append(
            "Besides Weft's own metrics below, each process serves the JVM's and the process's"
                + " (`jvm_*`, `process_*`, `system_*`), and Kafka's client metrics: the"
                + " coordinator Kafka Streams' (`kafka_stream_*`, `kafka_consumer_*`,"
                + " `kafka_producer_*`), a worker its consumers' and producers'"
                + " (`kafka_consumer_*`, `kafka_producer_*`, by `client_id`).\n");
    for (Map.Entry<String, String> component : COMPONENTS.entrySet()) {
      md.append("\n## ").append(title(component.getKey())).append("\n\n");
      md.append(component.getValue()).append("\n\n");
      md.append("| metric | type | labels | description |\n");
      md.append("|---|---|---|---|\n");
      for (WeftMeter meter : WeftMeters.ALL) {
        if (meter.component().equals(component.getKey())) {
          md.append("| `")
              .append(exposedName(meter))
              .append("` | ")
              .append(type(meter))
              .append(" | ")
              .append(
                  meter.tagKeys().isEmpty() ? "" : "`" + String.join("`, `", meter.tagKeys()) + "`")
              .append(" | ")
              .append(meter.description())
              .append(" |\n");
        }
      }
    }
    return md.toString();
  }

  /** The name a scrape shows for {@code meter}: with its unit, and {@code _total} for a counter. */
  public static String exposedName(WeftMeter meter) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      String[] tags = meter.tagKeys().stream().map(key -> "x").toArray(String[]::new);
      switch (meter.kind()) {
        case COUNTER -> meter.counter(registry, tags);
        case TIMER -> meter.timer(registry, tags);
        case SUMMARY -> meter.summary(registry, tags);
        case GAUGE -> meter.gauge(registry, new Object(), o -> 0, tags);
      }
      for (MetricSnapshot snapshot : registry.getPrometheusRegistry().scrape()) {
        if (snapshot instanceof CounterSnapshot) {
          return snapshot.getMetadata().getPrometheusName() + "_total";
        }
        if (snapshot instanceof HistogramSnapshot || meter.kind() == WeftMeter.Kind.GAUGE) {
          return snapshot.getMetadata().getPrometheusName();
        }
      }
      throw new IllegalStateException(meter.name() + " shows no series");
    } finally {
      registry.close();
    }
  }

  private static String type(WeftMeter meter) {
    return switch (meter.kind()) {
      case COUNTER -> "counter";
      case GAUGE -> "gauge";
      case TIMER, SUMMARY -> "histogram";
    };
  }

  private static String title(String component) {
    return switch (component) {
      case "coordinator" -> "Coordinator";
      case "worker" -> "Worker";
      default -> "Inference service";
    };
  }
}

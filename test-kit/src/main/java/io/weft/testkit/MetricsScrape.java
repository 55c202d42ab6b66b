package io.weft.testkit;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.MetricFamily;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scrape of a Weft component's {@code /metrics}, asked for in Prometheus' protobuf format and
 * read with Prometheus' own generated model: metric families by name, each series with its labels.
 */
public final class MetricsScrape {

  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Map<String, MetricFamily> families;

  private MetricsScrape(Map<String, MetricFamily> families) {
    this.families = families;
  }

  /** Scrapes {@code baseUrl}{@code /metrics}. */
  public static MetricsScrape of(String baseUrl) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
            .header("Accept", PROTOBUF)
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      HttpResponse<InputStream> response =
          HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(baseUrl + "/metrics answered " + response.statusCode());
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (!type.startsWith("application/vnd.google.protobuf")) {
        throw new IllegalStateException(baseUrl + "/metrics answered " + type);
      }
      Map<String, MetricFamily> families = new HashMap<>();
      try (InputStream in = response.body()) {
        MetricFamily family;
        while ((family = MetricFamily.parseDelimitedFrom(in)) != null) {
          families.put(family.getName(), family);
        }
      }
      return new MetricsScrape(families);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot scrape " + baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted scraping " + baseUrl, e);
    }
  }

  /** The names of the families, as the text format shows them (counters with _total). */
  public Set<String> names() {
    return families.keySet();
  }

  /**
   * The series of {@code family} (a counter's name with {@code _total}) whose labels include {@code
   * labels}.
   */
  public List<Metric> series(String family, Map<String, String> labels) {
    MetricFamily found = families.get(family);
    if (found == null) {
      throw new IllegalArgumentException("No metric " + family + " in " + new ArrayList<>(names()));
    }
    return found.getMetricList().stream().filter(m -> matches(m, labels)).toList();
  }

  /** The sum of the counter {@code family} over the series matching {@code labels}. */
  public double counter(String family, Map<String, String> labels) {
    return series(family, labels).stream().mapToDouble(m -> m.getCounter().getValue()).sum();
  }

  /** The value of the gauge {@code family}'s only series matching {@code labels}. */
  public double gauge(String family, Map<String, String> labels) {
    List<Metric> series = series(family, labels);
    if (series.size() != 1) {
      throw new IllegalArgumentException(family + labels + " matches " + series.size() + " series");
    }
    return series.get(0).getGauge().getValue();
  }

  /** How many values the histogram {@code family} counted, over the series matching. */
  public long histogramCount(String family, Map<String, String> labels) {
    return series(family, labels).stream().mapToLong(m -> m.getHistogram().getSampleCount()).sum();
  }

  /** The sum of the values the histogram {@code family} counted, over the series matching. */
  public double histogramSum(String family, Map<String, String> labels) {
    return series(family, labels).stream().mapToDouble(m -> m.getHistogram().getSampleSum()).sum();
  }

  private static boolean matches(Metric metric, Map<String, String> labels) {
    Map<String, String> has = new HashMap<>();
    for (LabelPair pair : metric.getLabelList()) {
      has.put(pair.getName(), pair.getValue());
    }
    return labels.entrySet().stream().allMatch(e -> e.getValue().equals(has.get(e.getKey())));
  }
}

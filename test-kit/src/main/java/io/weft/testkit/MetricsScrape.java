package io.weft.testkit;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.Bucket;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.MetricFamily;
import java.io.ByteArrayInputStream;
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
import java.util.TreeSet;

/**
 * One scrape of a Weft component's {@code /metrics}, read by Prometheus' own parsers: the text
 * format ({@link #of}) by the official Python client's {@code prometheus_client.parser}, the
 * protobuf format ({@link #protobuf}) with Prometheus' generated model. Either way the scrape is
 * the samples as the text format names them ({@code _total}, {@code _count}, {@code _sum}, {@code
 * _bucket}), each with its labels.
 */
public final class MetricsScrape {

  private static final String TEXT = "text/plain; version=0.0.4";
  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** One sample: its name as the text format shows it, its labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private MetricsScrape(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  /**
   * Scrapes {@code baseUrl}{@code /metrics} in Prometheus' text format, as Prometheus parses it.
   */
  public static MetricsScrape of(String baseUrl) {
    byte[] body = get(baseUrl, TEXT, "text/plain");
    List<Sample> samples = new ArrayList<>();
    for (String line : PrometheusTextParser.parse(body)) {
      JsonNode sample = read(line);
      Map<String, String> labels = new HashMap<>();
      sample
          .get("labels")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      samples.add(new Sample(sample.get("name").asText(), labels, sample.get("value").asDouble()));
    }
    return new MetricsScrape(samples);
  }

  /** Scrapes {@code baseUrl}{@code /metrics} in Prometheus' protobuf format. */
  public static MetricsScrape protobuf(String baseUrl) {
    byte[] body = get(baseUrl, PROTOBUF, "application/vnd.google.protobuf");
    List<Sample> samples = new ArrayList<>();
    try (InputStream in = new ByteArrayInputStream(body)) {
      MetricFamily family;
      while ((family = MetricFamily.parseDelimitedFrom(in)) != null) {
        for (Metric metric : family.getMetricList()) {
          addSamples(family, metric, samples);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the protobuf scrape of " + baseUrl, e);
    }
    return new MetricsScrape(samples);
  }

  /** The names of the samples, as the text format shows them (counters with _total). */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  /** The samples named {@code name} whose labels include {@code labels}. */
  public List<Sample> samples(String name, Map<String, String> labels) {
    List<Sample> named = samples.stream().filter(s -> s.name().equals(name)).toList();
    if (named.isEmpty()) {
      throw new IllegalArgumentException("No sample " + name + " in " + names());
    }
    return named.stream()
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /** The sum of the counter {@code name} (with {@code _total}) over the series matching. */
  public double counter(String name, Map<String, String> labels) {
    return sum(name, labels);
  }

  /** The value of the gauge {@code name}'s only series matching {@code labels}. */
  public double gauge(String name, Map<String, String> labels) {
    List<Sample> series = samples(name, labels);
    if (series.size() != 1) {
      throw new IllegalArgumentException(name + labels + " matches " + series.size() + " series");
    }
    return series.get(0).value();
  }

  /** How many values the histogram {@code name} counted, over the series matching. */
  public long histogramCount(String name, Map<String, String> labels) {
    return Math.round(sum(name + "_count", labels));
  }

  /** The sum of the values the histogram {@code name} counted, over the series matching. */
  public double histogramSum(String name, Map<String, String> labels) {
    return sum(name + "_sum", labels);
  }

  private double sum(String name, Map<String, String> labels) {
    return samples(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  private static byte[] get(String baseUrl, String accept, String expected) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(baseUrl + "/metrics answered " + response.statusCode());
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (!type.startsWith(expected)) {
        throw new IllegalStateException(baseUrl + "/metrics answered " + type + " to " + accept);
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot scrape " + baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted scraping " + baseUrl, e);
    }
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the parser's line " + line, e);
    }
  }

  /** The samples of {@code metric} of {@code family}, named as the text format names them. */
  private static void addSamples(MetricFamily family, Metric metric, List<Sample> samples) {
    Map<String, String> labels = new HashMap<>();
    for (LabelPair pair : metric.getLabelList()) {
      labels.put(pair.getName(), pair.getValue());
    }
    String name = family.getName();
    switch (family.getType()) {
      case COUNTER -> samples.add(new Sample(name, labels, metric.getCounter().getValue()));
      case GAUGE -> samples.add(new Sample(name, labels, metric.getGauge().getValue()));
      case UNTYPED -> samples.add(new Sample(name, labels, metric.getUntyped().getValue()));
      case HISTOGRAM -> {
        samples.add(new Sample(name + "_count", labels, metric.getHistogram().getSampleCount()));
        samples.add(new Sample(name + "_sum", labels, metric.getHistogram().getSampleSum()));
        for (Bucket bucket : metric.getHistogram().getBucketList()) {
          Map<String, String> le = new HashMap<>(labels);
          le.put("le", String.valueOf(bucket.getUpperBound()));
          samples.add(new Sample(name + "_bucket", le, bucket.getCumulativeCount()));
        }
      }
      case SUMMARY -> {
        samples.add(new Sample(name + "_count", labels, metric.getSummary().getSampleCount()));
        samples.add(new Sample(name + "_sum", labels, metric.getSummary().getSampleSum()));
      }
      default -> {} // gauge histograms: none here
    }
  }
}

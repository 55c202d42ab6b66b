package io.weft.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.core.metrics.MetricsServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsScrapeTest {

  private PrometheusMeterRegistry registry;
  private MetricsServer server;

  @BeforeEach
  void serve() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("weft.things").tag("kind", "a").register(registry).increment(3);
    Counter.builder("weft.things").tag("kind", "b").register(registry).increment(4);
    Timer timer =
        Timer.builder("weft.waits")
            .publishPercentileHistogram()
            .tag("kind", "a")
            .register(registry);
    timer.record(Duration.ofMillis(250));
    timer.record(Duration.ofMillis(750));
    Gauge.builder("weft.level", () -> 42.5).register(registry);
    server = MetricsServer.start("127.0.0.1", 0, registry);
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
  }

  @Test
  void shouldReadTheTextFormatWithPrometheusOwnParser() {
    // when
    MetricsScrape scrape = MetricsScrape.of(server.url());

    // then
    assertThat(scrape.counter("weft_things_total", Map.of())).isEqualTo(7);
    assertThat(scrape.counter("weft_things_total", Map.of("kind", "b"))).isEqualTo(4);
    assertThat(scrape.histogramCount("weft_waits_seconds", Map.of("kind", "a"))).isEqualTo(2);
    assertThat(scrape.histogramSum("weft_waits_seconds", Map.of())).isEqualTo(1.0);
    assertThat(scrape.gauge("weft_level", Map.of())).isEqualTo(42.5);
    assertThat(scrape.names()).contains("weft_waits_seconds_bucket");
  }

  @Test
  void shouldReadTheSameSamplesInTheProtobufFormat() {
    // when
    MetricsScrape text = MetricsScrape.of(server.url());
    MetricsScrape protobuf = MetricsScrape.protobuf(server.url());

    // then
    for (String name :
        new String[] {"weft_things_total", "weft_waits_seconds_count", "weft_level"}) {
      assertThat(protobuf.samples(name, Map.of()))
          .as(name)
          .containsExactlyInAnyOrderElementsOf(text.samples(name, Map.of()));
    }
  }

  @Test
  void shouldNameTheMissingSample() {
    MetricsScrape scrape = MetricsScrape.of(server.url());

    assertThatThrownBy(() -> scrape.counter("weft_nothing_total", Map.of()))
        .hasMessageContaining("No sample weft_nothing_total");
  }
}

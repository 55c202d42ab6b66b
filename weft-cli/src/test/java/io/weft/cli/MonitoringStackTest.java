package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/'s Prometheus and Grafana, which need a Docker engine to run: Prometheus scrapes each
 * component where it serves /metrics, and every query of the dashboard reads series Weft exposes.
 */
class MonitoringStackTest {

  private static final Path DOCKER = Path.of("..", "docker");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SERIES = Pattern.compile("weft_[a-z_]+");

  @Test
  void shouldScrapeEachComponentOnThePortItServesMetricsOn() throws IOException {
    // given
    JsonNode prometheus = YAML.readTree(DOCKER.resolve("prometheus/prometheus.yml").toFile());
    Properties coordinator = properties("coordinator.properties");
    Properties worker = properties("worker.properties");
    ComposeFile compose = ComposeFile.read();

    // then
    JsonNode jobs = prometheus.get("scrape_configs");
    assertThat(jobs.get(0).at("/static_configs/0/targets/0").asText())
        .isEqualTo(
            coordinator.getProperty("weft.query.host")
                + ":"
                + coordinator.getProperty("weft.query.port"));
    assertThat(jobs.get(1).at("/dns_sd_configs/0/names/0").asText()).isEqualTo("worker");
    assertThat(jobs.get(1).at("/dns_sd_configs/0/port").asText())
        .isEqualTo(worker.getProperty("worker.metrics.port"));
    assertThat(worker.getProperty("worker.metrics.host")).isEqualTo("0.0.0.0");
    assertThat(compose.command("inference")).contains("--host=0.0.0.0", "--port=8080");
    assertThat(jobs.get(2).at("/static_configs/0/targets/0").asText()).isEqualTo("inference:8080");
  }

  @Test
  void shouldQueryOnlySeriesWeftExposesInTheDashboard() throws IOException {
    // given
    JsonNode dashboard =
        new ObjectMapper().readTree(DOCKER.resolve("grafana/dashboards/weft.json").toFile());
    List<String> queries = new ArrayList<>();
    dashboard
        .get("panels")
        .forEach(p -> p.get("targets").forEach(t -> queries.add(t.get("expr").asText())));

    // when
    Set<String> queried = new HashSet<>();
    for (String query : queries) {
      Matcher series = SERIES.matcher(query);
      while (series.find()) {
        queried.add(series.group());
      }
    }

    // then
    assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
    assertThat(queried).isSubsetOf(ScalingExampleTest.series(null));
    assertThat(queried)
        .contains(
            "weft_runs_succeeded_total",
            "weft_dispatch_hop_seconds_bucket",
            "weft_worker_consumer_lag",
            "weft_worker_progress_reports_total",
            "weft_inference_latency_seconds_bucket");
  }

  private static Properties properties(String file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(DOCKER.resolve(file))) {
      properties.load(in);
    }
    return properties;
  }
}

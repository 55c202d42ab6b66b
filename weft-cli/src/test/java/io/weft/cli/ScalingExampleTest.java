package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.weft.core.metrics.MetricsDocs;
import io.weft.core.metrics.WeftMeter;
import io.weft.core.metrics.WeftMeters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/keda-scaledobject.yaml, which cannot run here (no Kubernetes): the series its Prometheus
 * query reads are series Weft's workers expose, of the task type it scales.
 */
class ScalingExampleTest {

  private static final Path EXAMPLE = Path.of("..", "docker", "keda-scaledobject.yaml");
  private static final Pattern SERIES = Pattern.compile("weft_[a-z_]+");

  @Test
  void shouldQueryOnlySeriesThatWorkersExpose() throws IOException {
    // given
    JsonNode scaledObject = new ObjectMapper(new YAMLFactory()).readTree(EXAMPLE.toFile());
    String query = scaledObject.at("/spec/triggers/0/metadata/query").asText();

    // when
    Set<String> queried = new HashSet<>();
    Matcher series = SERIES.matcher(query);
    while (series.find()) {
      queried.add(series.group());
    }

    // then
    assertThat(queried).isNotEmpty().isSubsetOf(workerSeries());
    assertThat(scaledObject.at("/spec/triggers/1/metadata/consumerGroup").asText())
        .isEqualTo("weft.workers.train");
    assertThat(scaledObject.at("/spec/triggers/1/metadata/topic").asText())
        .isEqualTo("weft.tasks.train");
  }

  private static Set<String> workerSeries() {
    return series("worker");
  }

  /** The series a scrape of {@code component} shows of Weft's own meters. */
  static Set<String> series(String component) {
    Set<String> names = new HashSet<>();
    for (WeftMeter meter : WeftMeters.ALL) {
      if (component == null || meter.component().equals(component)) {
        String name = MetricsDocs.exposedName(meter);
        names.add(name);
        if (meter.kind() == WeftMeter.Kind.TIMER || meter.kind() == WeftMeter.Kind.SUMMARY) {
          for (String suffix : List.of("_sum", "_count", "_bucket", "_max")) {
            names.add(name + suffix);
          }
        }
      }
    }
    return names;
  }
}

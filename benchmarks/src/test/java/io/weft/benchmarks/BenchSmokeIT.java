package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the benchmark harness in smoke mode on the real embedded broker and registry: every section
 * must produce its figures (the deep-learning one included: a real training both ways and real
 * inference requests) and the report must be written. Performance goals are not asserted.
 */
@ExtendWith(WeftStackExtension.class)
class BenchSmokeIT {

  @Test
  void shouldProduceAFigureForEverySectionAndWriteTheTableAndJson(WeftStack stack)
      throws Exception {
    // given
    Path out = Path.of(System.getProperty("weft.test.dir", "target/weft-test"), "bench-smoke");

    // when
    Report report =
        Bench.run(stack, Plan.smoke(), out.resolve("work"), Map.of(), Map.of(), List.of());
    report.write(out);

    // then: every section produced numbers (how good they are is not the question here)
    Map<String, List<Measure>> bySection =
        report.measures().stream().collect(Collectors.groupingBy(Measure::section));
    assertThat(bySection.keySet())
        .containsExactlyInAnyOrder(
            RawKafkaBaseline.NAME,
            EngineThroughput.NAME,
            HopLatency.NAME,
            WorkerScaling.NAME,
            StatePerRun.NAME,
            FanOut.NAME,
            RecoveryTime.NAME,
            DeepLearningOverhead.NAME,
            ObservabilityOverhead.NAME);
    for (String section :
        Set.of(
            RawKafkaBaseline.NAME,
            EngineThroughput.NAME,
            HopLatency.NAME,
            WorkerScaling.NAME,
            StatePerRun.NAME,
            FanOut.NAME,
            RecoveryTime.NAME,
            DeepLearningOverhead.NAME,
            ObservabilityOverhead.NAME)) {
      assertThat(bySection.get(section))
          .as(section)
          .isNotEmpty()
          .allSatisfy(
              m -> {
                assertThat(m.wasRun()).as(m.name() + ": " + m.note()).isTrue();
                assertThat(m.value()).as(m.name()).isFinite().isNotNegative();
              });
    }
    // and the deep-learning figures compare Weft with the direct calls: training, inference
    // throughput and p99 per protocol, batch size and thread count, and batching on against off
    List<String> expected = new ArrayList<>(List.of(DeepLearningOverhead.TRAINING));
    for (int batch : DeepLearningOverhead.BATCHES) {
      for (int threads : DeepLearningOverhead.THREADS) {
        for (String protocol : InferenceComparison.PROTOCOLS) {
          String label = DeepLearningOverhead.label(protocol, batch, threads);
          expected.add(DeepLearningOverhead.THROUGHPUT + label);
          expected.add(DeepLearningOverhead.P99 + label);
        }
      }
    }
    for (String protocol : List.of("HTTP", "gRPC")) {
      for (int threads : DeepLearningOverhead.THREADS) {
        expected.add(
            DeepLearningOverhead.FLOOR + DeepLearningOverhead.floorLabel(protocol, threads));
      }
    }
    for (String model : List.of(InferenceComparison.MODEL, InferenceComparison.CNN)) {
      expected.add(DeepLearningOverhead.BATCHING + DeepLearningOverhead.batchingLabel(model));
    }
    assertThat(bySection.get(DeepLearningOverhead.NAME))
        .extracting(Measure::name)
        .containsExactlyElementsOf(expected);
    assertThat(bySection.get(DeepLearningOverhead.NAME))
        .allSatisfy(
            m -> {
              assertThat(m.value()).as(m.name()).isPositive();
              assertThat(m.ratio()).as(m.name() + ": ratio to the direct call").isPositive();
            });
    assertThat(bySection.get(EngineThroughput.NAME))
        .anySatisfy(m -> assertThat(m.ratio()).as("ratio to raw Kafka").isNotNull());
    assertThat(bySection.get(EngineThroughput.NAME))
        .anySatisfy(
            m -> {
              assertThat(m.name()).startsWith(EngineThroughput.WITH_RESOURCES);
              assertThat(m.ratio()).as("with resources ÷ without").isPositive();
            });
    assertThat(bySection.get(HopLatency.NAME))
        .anySatisfy(m -> assertThat(m.ratio()).as("ratio to raw Kafka").isNotNull());

    // and the files hold the same figures
    String markdown = Files.readString(out.resolve(Report.MARKDOWN_FILE));
    assertThat(markdown)
        .contains("| measure | value | baseline | ratio | goal | PASS/MISS |")
        .contains(EngineThroughput.NAME + ": no-op tasks/s, 32 runs in flight");
    JsonNode json = new ObjectMapper().readTree(out.resolve(Report.JSON_FILE).toFile());
    assertThat(json.get("measures")).hasSize(report.measures().size());
    assertThat(json.get("environment").get("cores (nproc)").asText()).isNotBlank();
  }
}

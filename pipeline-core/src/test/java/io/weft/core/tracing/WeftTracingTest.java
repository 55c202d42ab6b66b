package io.weft.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WeftTracingTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private SdkTracerProvider tracers;

  @AfterEach
  void reset() {
    WeftTracing.reset();
    if (tracers != null) {
      tracers.close();
    }
  }

  private WeftTracing sampledBy(Sampler sampler) {
    tracers =
        WeftTracing.withRunIds(SdkTracerProvider.builder())
            .setSampler(sampler)
            .addSpanProcessor(SimpleSpanProcessor.create(spans))
            .build();
    WeftTracing.use(OpenTelemetrySdk.builder().setTracerProvider(tracers).build());
    return WeftTracing.get();
  }

  @Test
  void shouldSampleEveryRunByDefault() {
    WeftTracing tracing = sampledBy(Sampler.parentBased(Sampler.alwaysOn()));

    SpanContext run = tracing.runSpan("run-1");

    assertThat(run.isSampled()).isTrue();
    assertThat(run.getTraceId()).isEqualTo(RunTraceIds.traceId("run-1"));
    assertThat(run.getSpanId()).isEqualTo(RunTraceIds.runSpanId("run-1"));
  }

  @Test
  void shouldTraceAWholeRunOrNoneOfItAsTheRatioSamplerDecides() {
    // given one run in two sampled by the trace id
    WeftTracing tracing = sampledBy(Sampler.parentBased(Sampler.traceIdRatioBased(0.5)));
    Set<String> sent = new HashSet<>();

    // when 400 runs start and end
    for (int i = 0; i < 400; i++) {
      String runId = "run-" + i;
      if (tracing.runSpan(runId).isSampled()) {
        sent.add(RunTraceIds.traceId(runId));
      }
      tracing.runEnded(runId, "wf", 1, "succeeded", Instant.EPOCH, Instant.EPOCH.plusSeconds(1));
    }

    // then the runs whose traceparent said sampled are exactly those whose run span was recorded
    Set<String> recorded =
        spans.getFinishedSpanItems().stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    assertThat(recorded).isEqualTo(sent);
    assertThat(sent.size()).isBetween(140, 260);
  }

  @Test
  void shouldMarkNoRunSampledWhenTheSamplerSaysNone() {
    WeftTracing tracing = sampledBy(Sampler.parentBased(Sampler.alwaysOff()));

    assertThat(tracing.runSpan("run-1").isSampled()).isFalse();
    assertThat(tracing.runSpan("run-1").isValid()).isTrue();
  }

  @Test
  void shouldGiveEachRunItsOwnTraceparentWhenRunsShareACacheSlot() {
    // given: more runs than the cache holds, half of them sampled
    WeftTracing tracing = sampledBy(Sampler.parentBased(Sampler.traceIdRatioBased(0.5)));
    List<String> runs = IntStream.range(0, 10_000).mapToObj(i -> "run-" + i).toList();

    // when / then: each run's header, computed or cached, twice over, is that of its run span
    for (int pass = 0; pass < 2; pass++) {
      for (String run : runs) {
        assertThat(new String(tracing.traceparent(run), StandardCharsets.UTF_8))
            .as(run)
            .isEqualTo(
                new String(TraceHeaders.traceparent(tracing.runSpan(run)), StandardCharsets.UTF_8));
        assertThat(tracing.traceparent(run)).isSameAs(tracing.traceparent(run));
      }
    }
  }
}

package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.tracing.RunTraceIds;
import io.weft.core.tracing.TraceHeaders;
import io.weft.core.tracing.WeftTracing;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.testkit.CommittedRecords;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One trace per run across processes: the coordinator in this JVM (spans to the SDK's in-memory
 * exporter) and a worker in a JVM of its own (spans over OTLP/HTTP, configured by the standard
 * {@code otel.*} settings, to a receiver in this test).
 */
@ExtendWith(WeftStackExtension.class)
class TracingIT {

  private static final HexFormat HEX = HexFormat.of();

  private final InMemorySpanExporter coordinatorSpans = InMemorySpanExporter.create();
  private WeftInstallation kit;
  private OtlpReceiver receiver;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    WeftTracing.reset();
  }

  @Test
  void shouldTraceARunWithItsTaskSpansAsChildrenOfTheRunSpanAcrossAWorkerInAnotherJvm(
      WeftStack stack) throws Exception {
    // given: tracing on in this JVM (the coordinator) and in the worker's, exporting over OTLP
    WeftTracing.use(
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                WeftTracing.withRunIds(SdkTracerProvider.builder())
                    .addSpanProcessor(SimpleSpanProcessor.create(coordinatorSpans))
                    .build())
            .build());
    receiver = new OtlpReceiver();
    kit =
        WeftInstallation.forTests(stack, "traces")
            .withHandlers(new TestHandlers())
            .withChildJvmOptions(
                List.of(
                    "-Dotel.traces.exporter=otlp",
                    "-Dotel.exporter.otlp.protocol=http/protobuf",
                    "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
                    "-Dotel.bsp.schedule.delay=100",
                    "-Dotel.service.name=weft-worker"))
            .startCoordinator();
    kit.startWorkerProcess(Map.of(), "step");
    kit.client()
        .register(
            WorkflowDefinition.builder("three", 1)
                .task(TaskDefinition.builder("a", "step"))
                .task(TaskDefinition.builder("b", "step").dependsOn("a"))
                .task(TaskDefinition.builder("c", "step").dependsOn("b"))
                .build());

    // when
    String runId = kit.client().startRun("three", Map.of());
    RunView run = kit.client().awaitCompletion(runId, Duration.ofMinutes(1));

    // then: the run span, with its run's ids, from the coordinator
    assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
    String traceId = RunTraceIds.traceId(runId);
    String runSpanId = RunTraceIds.runSpanId(runId);
    SpanData runSpan =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    coordinatorSpans.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("run three"))
                        .findFirst(),
                found -> found.isPresent())
            .orElseThrow();
    assertThat(runSpan.getTraceId()).isEqualTo(traceId);
    assertThat(runSpan.getSpanId()).isEqualTo(runSpanId);
    assertThat(runSpan.getParentSpanContext().isValid()).isFalse();

    // and: a span per task attempt, from the other JVM, a child of the run span
    List<Span> tasks =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> spansNamed("task "), spans -> spans.size() == 3);
    assertThat(tasks)
        .extracting(Span::getName)
        .containsExactlyInAnyOrder("task a", "task b", "task c");
    assertThat(tasks)
        .allSatisfy(
            task -> {
              assertThat(hex(task.getTraceId().toByteArray())).isEqualTo(traceId);
              assertThat(hex(task.getParentSpanId().toByteArray())).isEqualTo(runSpanId);
            });
    // each from its dispatch, its queue wait an attribute
    assertThat(tasks)
        .allSatisfy(
            task ->
                assertThat(task.getAttributesList())
                    .anySatisfy(a -> assertThat(a.getKey()).isEqualTo("weft.queue.wait.ms")));

    // and: the run's events name the trace
    try (CommittedRecords<RunEvent> events =
        new CommittedRecords<>(
            kit.bootstrapServers(),
            kit.topics().events(),
            new AvroDeserializer<>(
                RunEvent.class, Map.of("schema.registry.url", kit.schemaRegistryUrl())),
            Duration.ofSeconds(30))) {
      List<ConsumerRecord<String, RunEvent>> log = events.readToEnd();
      assertThat(log)
          .filteredOn(r -> r.key().equals(runId))
          .isNotEmpty()
          .allSatisfy(
              r -> assertThat(TraceHeaders.read(r.headers()).getTraceId()).isEqualTo(traceId));
    }
  }

  private List<Span> spansNamed(String prefix) {
    return receiver.spans().stream().filter(s -> s.getName().startsWith(prefix)).toList();
  }

  private static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}

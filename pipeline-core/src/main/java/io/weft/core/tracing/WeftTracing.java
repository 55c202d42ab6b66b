package io.weft.core.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's traces, with the OpenTelemetry SDK: off unless the standard {@code OTEL_*} variables (or
 * {@code otel.*} system properties) name a traces exporter or an OTLP endpoint. A run is one trace
 * ({@link RunTraceIds}): its run span, from start to end, and a span per task attempt, child of the
 * run span through the {@code traceparent} header of the task request. One instance a JVM, also
 * {@code GlobalOpenTelemetry}'s, so that handlers add spans of their own with {@code
 * GlobalOpenTelemetry.getTracer(...)} under the attempt's span, which is current while they run.
 */
public final class WeftTracing {

  private static final Logger log = LoggerFactory.getLogger(WeftTracing.class);
  private static final String SCOPE = "io.weft";
  private static final WeftTracing OFF = new WeftTracing(OpenTelemetry.noop(), false);

  private static volatile WeftTracing jvm;

  /** Slots of the cache of recent runs' {@code traceparent}s; a power of two. */
  private static final int TRACEPARENT_SLOTS = 4096;

  private final Tracer tracer;
  private final boolean enabled;
  private final Sampler sampler;
  // direct-mapped by run id: a run's steps follow one another closely, and a miss only recomputes;
  // none when tracing is off, which never asks for a traceparent
  private final Traceparent[] traceparents;

  /** A run's {@code traceparent} header value, immutable, so safely shared through the cache. */
  private record Traceparent(String runId, byte[] value) {}

  private WeftTracing(OpenTelemetry otel, boolean enabled) {
    this.tracer = otel.getTracer(SCOPE);
    this.enabled = enabled;
    this.traceparents = enabled ? new Traceparent[TRACEPARENT_SLOTS] : null;
    this.sampler =
        otel instanceof OpenTelemetrySdk sdk
            ? sdk.getSdkTracerProvider().getSampler()
            : Sampler.alwaysOn();
  }

  /** This JVM's tracing: configured from the environment the first time, off if it says nothing. */
  public static WeftTracing get() {
    WeftTracing current = jvm;
    if (current == null) {
      synchronized (WeftTracing.class) {
        if (jvm == null) {
          jvm = configured(System.getenv(), System.getProperties()) ? autoconfigured() : OFF;
        }
        current = jvm;
      }
    }
    return current;
  }

  /**
   * Uses {@code otel} for this JVM's traces from now on (an SDK built by a test, or an application
   * that configures its own); its tracer provider should take {@link #withRunIds} ids.
   */
  public static void use(OpenTelemetry otel) {
    jvm = new WeftTracing(otel, true);
  }

  /** Back to what the environment says, at the next {@link #get()}. */
  public static void reset() {
    jvm = null;
  }

  /** {@code builder} with the ids that make a run span's ids its run's ({@link RunTraceIds}). */
  public static SdkTracerProviderBuilder withRunIds(SdkTracerProviderBuilder builder) {
    return builder.setIdGenerator(new RunIdGenerator());
  }

  /** Whether tracing is on: the SDK was configured with an exporter. */
  static boolean configured(Map<String, String> env, Map<Object, Object> properties) {
    Function<String, String> setting =
        key -> {
          Object property = properties.get(key);
          return property != null
              ? property.toString()
              : env.get(key.toUpperCase(Locale.ROOT).replace('.', '_'));
        };
    if ("true".equalsIgnoreCase(setting.apply("otel.sdk.disabled"))) {
      return false;
    }
    String exporter = setting.apply("otel.traces.exporter");
    if (exporter != null) {
      return !exporter.isBlank() && !exporter.equals("none");
    }
    return setting.apply("otel.exporter.otlp.endpoint") != null
        || setting.apply("otel.exporter.otlp.traces.endpoint") != null;
  }

  private static WeftTracing autoconfigured() {
    AutoConfiguredOpenTelemetrySdk sdk;
    try {
      sdk = builder().setResultAsGlobal().build();
    } catch (IllegalStateException globalTaken) { // another library set GlobalOpenTelemetry
      sdk = builder().build();
    }
    log.info("Tracing on: spans exported as the OTEL_* settings say");
    return new WeftTracing(sdk.getOpenTelemetrySdk(), true);
  }

  private static io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder
      builder() {
    return AutoConfiguredOpenTelemetrySdk.builder()
        // traces only, unless told otherwise: Weft's metrics are Prometheus'
        .addPropertiesSupplier(
            () ->
                Map.of(
                    "otel.metrics.exporter", "none",
                    "otel.logs.exporter", "none",
                    "otel.service.name", "weft"))
        .addTracerProviderCustomizer((tracers, config) -> withRunIds(tracers));
  }

  public boolean enabled() {
    return enabled;
  }

  public Tracer tracer() {
    return tracer;
  }

  /**
   * {@code runId}'s run span as the remote parent of its tasks' spans (the {@code traceparent} the
   * coordinator sends), sampled as the SDK's sampler decides for the run's root span: with {@code
   * OTEL_TRACES_SAMPLER=parentbased_traceidratio}, a whole run is traced or none of it, the same
   * way by every process, since the decision follows from the trace id.
   */
  public SpanContext runSpan(String runId) {
    SpanContext ids = RunTraceIds.runSpan(runId);
    SamplingResult decision =
        sampler.shouldSample(
            Context.root(),
            ids.getTraceId(),
            "run",
            SpanKind.INTERNAL,
            Attributes.empty(),
            List.of());
    return decision.getDecision() == SamplingDecision.RECORD_AND_SAMPLE
        ? ids
        : SpanContext.createFromRemoteParent(
            ids.getTraceId(), ids.getSpanId(), TraceFlags.getDefault(), TraceState.getDefault());
  }

  /**
   * {@code runId}'s {@link #runSpan} as a {@code traceparent} header value, for the records the
   * coordinator writes about the run; computed once for a run's many steps while it is recent. The
   * caller must not change the array.
   */
  public byte[] traceparent(String runId) {
    if (traceparents == null) {
      return TraceHeaders.traceparent(runSpan(runId));
    }
    int slot = runId.hashCode() & (TRACEPARENT_SLOTS - 1);
    Traceparent cached = traceparents[slot];
    if (cached != null && cached.runId().equals(runId)) {
      return cached.value();
    }
    byte[] value = TraceHeaders.traceparent(runSpan(runId));
    traceparents[slot] = new Traceparent(runId, value);
    return value;
  }

  /**
   * Records the span of a run that ended: from {@code startedAt} to {@code finishedAt}, with the
   * run's ids, so that its task spans, exported earlier by the workers, are its children.
   */
  public void runEnded(
      String runId,
      String workflow,
      int version,
      String status,
      Instant startedAt,
      Instant finishedAt) {
    if (!enabled) {
      return;
    }
    Span span =
        RunIdGenerator.forRun(
            runId,
            () ->
                tracer
                    .spanBuilder("run " + workflow)
                    .setNoParent()
                    .setStartTimestamp(startedAt)
                    .setAllAttributes(
                        Attributes.builder()
                            .put("weft.run.id", runId)
                            .put("weft.workflow", workflow)
                            .put("weft.workflow.version", version)
                            .put("weft.run.status", status)
                            .build())
                    .startSpan());
    if (!"succeeded".equals(status)) {
      span.setStatus(StatusCode.ERROR, "run " + status);
    }
    span.end(finishedAt);
  }
}

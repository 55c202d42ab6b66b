package io.weft.benchmarks;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.weft.core.metrics.WeftRegistry;
import io.weft.core.tracing.WeftTracing;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Section: what metrics and tracing cost. The engine throughput workload (no-op diamonds, the
 * plan's workers, the most runs in flight of the throughput levels) on an installation of its own,
 * started afresh for each round, with Weft's meters and tracing both off ({@code
 * weft.metrics.enabled=false}, no tracing), metrics only, or both on (every meter, and every span
 * of every run recorded and handed to a batch exporter that drops them, as an OTLP exporter would
 * send them): after a round that warms the JVM up, off, metrics, both, then both, metrics, off; the
 * median of each compared.
 */
final class ObservabilityOverhead implements Section {

  static final String NAME = "observability overhead";
  static final Goal GOAL = Goal.ratioAtLeast(0.95);
  private static final String TYPE = "bench-noop";
  private static final String WORKFLOW = "bench-diamond";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    Plan plan = context.plan();
    int inFlight = plan.throughputLevels().stream().mapToInt(Integer::intValue).max().orElse(64);
    List<Double> off = new ArrayList<>();
    List<Double> metrics = new ArrayList<>();
    List<Double> on = new ArrayList<>();
    AtomicLong exported = new AtomicLong();
    int cycles = plan.observabilityCycles();
    if (cycles > 1) {
      round(context, inFlight, true, true, new AtomicLong()); // warms the JVM up; not counted
    }
    // off, metrics, both, then both, metrics, off: a drift of the machine weighs on each alike
    for (int round = 0; round < cycles; round++) {
      boolean forward = round % 2 == 0;
      if (forward) {
        off.add(round(context, inFlight, false, false, exported));
      } else {
        on.add(round(context, inFlight, true, true, exported));
      }
      metrics.add(round(context, inFlight, true, false, exported));
      if (forward) {
        on.add(round(context, inFlight, true, true, exported));
      } else {
        off.add(round(context, inFlight, false, false, exported));
      }
    }
    double offMedian = median(off);
    double onMedian = median(on);
    String setup =
        String.format(
            "%d diamond runs in flight, %d in-process workers (concurrency %d), %d s steady"
                + " state; rounds off %s, metrics only %s, both %s tasks/s; %d spans exported",
            inFlight,
            plan.workers(),
            plan.workerConcurrency(),
            plan.steady().toSeconds(),
            rounded(off),
            rounded(metrics),
            rounded(on),
            exported.get());
    context
        .report()
        .add(
            Measure.against(
                    NAME,
                    "no-op tasks/s, metrics and tracing on vs off",
                    onMedian,
                    "tasks/s",
                    offMedian,
                    "tasks/s off",
                    GOAL)
                .withNote(setup));
    context
        .report()
        .add(
            Measure.against(
                NAME,
                "no-op tasks/s, metrics only vs off",
                median(metrics),
                "tasks/s",
                offMedian,
                "tasks/s off",
                null));
  }

  private static double round(
      BenchContext context, int inFlight, boolean metered, boolean traced, AtomicLong exported)
      throws Exception {
    Plan plan = context.plan();
    String prefix = "obs-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Path dir = context.workDir().resolve(prefix);
    System.setProperty(WeftRegistry.ENABLED_PROPERTY, String.valueOf(metered));
    SdkTracerProvider tracers = null;
    if (traced) {
      tracers =
          WeftTracing.withRunIds(SdkTracerProvider.builder())
              .addSpanProcessor(BatchSpanProcessor.builder(new Dropping(exported)).build())
              .build();
      WeftTracing.use(OpenTelemetrySdk.builder().setTracerProvider(tracers).build());
    } else {
      WeftTracing.reset();
    }
    List<Worker> workers = new ArrayList<>();
    try (WeftInstallation installation =
        WeftInstallation.create(context.stack(), prefix, dir)
            .withHandlers(new Handlers())
            .startCoordinator()) {
      for (int i = 0; i < plan.workers(); i++) {
        workers.add(
            installation.startWorker(
                Map.of("worker.concurrency", plan.workerConcurrency()), Handlers.noop(TYPE)));
      }
      installation.client().register(Workflows.diamond(WORKFLOW, TYPE));
      installation.awaitStableGroup(TYPE, plan.workers());
      return ClosedLoop.run(installation, WORKFLOW, inFlight, plan.warmUp(), plan.steady(), workers)
          .tasksPerSecond();
    } finally {
      workers.forEach(Worker::close);
      System.clearProperty(WeftRegistry.ENABLED_PROPERTY);
      WeftTracing.reset();
      if (tracers != null) {
        tracers.close();
      }
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String rounded(List<Double> values) {
    return values.stream().map(v -> String.format("%.0f", v)).toList().toString();
  }

  /** Takes every span the batch processor hands it and keeps only their count. */
  private static final class Dropping implements SpanExporter {
    private final AtomicLong count;

    Dropping(AtomicLong count) {
      this.count = count;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      count.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}

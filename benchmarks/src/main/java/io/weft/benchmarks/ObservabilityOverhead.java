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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Section: what metrics and tracing cost the engine's no-op throughput. The whole installation runs
 * in the harness JVM (broker, registry, coordinator, the plan's workers), which the closed loop
 * keeps busy, so its throughput is the CPU it has over the CPU a task takes. That throughput swings
 * by more than 5% from one window to the next with the same settings (its batching feeds on
 * itself), so the section measures what metrics and tracing add to the CPU a task takes, at a fixed
 * rate where the engine batches alike whatever the settings ({@link FixedRateWindows}), and sets it
 * against the CPU a task takes at full throughput, measured by a closed loop in the same
 * installation first.
 *
 * <p>Metrics are on or off for a whole installation ({@code weft.metrics.enabled}), so they are
 * compared across installations, each started afresh: off, on, then on, off, so that a drift of the
 * machine weighs on both alike. Tracing is compared within each installation: it is turned off and
 * on in turn in windows (off, on, on, off, ...), every span of every run recorded and handed to a
 * batch exporter that drops them, as an OTLP exporter would send them.
 */
final class ObservabilityOverhead implements Section {

  static final String NAME = "observability overhead";
  static final Goal GOAL = Goal.ratioAtLeast(0.95);
  private static final String TYPE = "bench-noop";
  private static final String WORKFLOW = "bench-diamond";

  /** One installation: its closed loop with tracing off, then its fixed-rate windows. */
  private record Round(ClosedLoop.Result saturated, FixedRateWindows.Alternation windows) {

    double saturatedCpuMicros() {
      return saturated.cpuMillisPerTask() * 1000;
    }

    /** What tracing adds to a task's CPU time, in microseconds. */
    double tracingCpuMicros() {
      return windows.cpuMicrosPerTask(true) - windows.cpuMicrosPerTask(false);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    Plan plan = context.plan();
    int cycles = plan.observabilityCycles();
    AtomicLong exported = new AtomicLong();
    if (cycles > 1) {
      round(context, true, exported); // warms the JVM up; not counted
    }
    List<Round> metricsOff = new ArrayList<>();
    List<Round> metricsOn = new ArrayList<>();
    for (int cycle = 0; cycle < cycles; cycle++) {
      boolean forward = cycle % 2 == 0;
      (forward ? metricsOff : metricsOn).add(round(context, !forward, exported));
      (forward ? metricsOn : metricsOff).add(round(context, forward, exported));
    }
    List<Round> all = new ArrayList<>(metricsOff);
    all.addAll(metricsOn);
    double saturated = mean(metricsOff, Round::saturatedCpuMicros);
    double metrics =
        mean(metricsOn, r -> r.windows().cpuMicrosPerTask(false))
            - mean(metricsOff, r -> r.windows().cpuMicrosPerTask(false));
    double tracing = mean(all, Round::tracingCpuMicros);
    String setup =
        String.format(
            "at full throughput (%d diamond runs in flight, tracing off) a task takes %.1f us of"
                + " CPU (installations %s with metrics off, %s on; %s tasks/s off, %s on); at %.0f"
                + " runs/s (%.0f tasks/s done) metrics add %+.1f us a task (standard error %.1f;"
                + " tracing off: %s us off, %s on) and tracing %+.1f us (standard error %.1f;"
                + " windows on minus off: %s with metrics off, %s on;"
                + " %d windows of %d ms each); %d in-process workers (concurrency %d); %d spans"
                + " exported; where a task's CPU goes with tracing off (us, by group of threads):"
                + " %s; where tracing adds to it: %s; where metrics add to it: %s",
            inFlight(plan),
            saturated,
            format(metricsOff, Round::saturatedCpuMicros),
            format(metricsOn, Round::saturatedCpuMicros),
            format(metricsOff, r -> r.saturated().tasksPerSecond()),
            format(metricsOn, r -> r.saturated().tasksPerSecond()),
            runsPerSecond(plan),
            mean(all, r -> r.windows().tasksPerSecond()),
            metrics,
            Math.sqrt(
                squaredError(metricsOn, r -> r.windows().cpuMicrosPerTask(false))
                    + squaredError(metricsOff, r -> r.windows().cpuMicrosPerTask(false))),
            format(metricsOff, r -> r.windows().cpuMicrosPerTask(false)),
            format(metricsOn, r -> r.windows().cpuMicrosPerTask(false)),
            tracing,
            Math.sqrt(squaredError(all, Round::tracingCpuMicros)),
            format(metricsOff, Round::tracingCpuMicros),
            format(metricsOn, Round::tracingCpuMicros),
            2 * pairs(plan),
            window(plan).toMillis(),
            plan.workers(),
            plan.workerConcurrency(),
            exported.get(),
            largest(averaged(all, r -> r.windows().byThreads(false))),
            largest(averaged(all, r -> r.windows().addedByThreads())),
            largest(
                difference(
                    averaged(metricsOn, r -> r.windows().byThreads(false)),
                    averaged(metricsOff, r -> r.windows().byThreads(false)))));
    // a difference below zero is noise: it counts as no cost, never as a gain
    double metricsCost = Math.max(0, metrics);
    double tracingCost = Math.max(0, tracing);
    context
        .report()
        .add(
            perCpuSecond("metrics and tracing", saturated, metricsCost + tracingCost, GOAL)
                .withNote(setup));
    context.report().add(perCpuSecond("metrics only", saturated, metricsCost, null));
    context.report().add(perCpuSecond("tracing only", saturated, tracingCost, null));
    context
        .report()
        .add(
            Measure.against(
                NAME,
                "no-op tasks/s of the closed loop, metrics only vs off (tracing off)",
                mean(metricsOn, r -> r.saturated().tasksPerSecond()),
                "tasks/s",
                mean(metricsOff, r -> r.saturated().tasksPerSecond()),
                "tasks/s off",
                null));
  }

  /** Tasks per CPU second at full throughput with {@code costMicros} more a task, vs without. */
  private static Measure perCpuSecond(
      String what, double saturatedMicros, double costMicros, Goal goal) {
    return Measure.against(
        NAME,
        "no-op tasks per CPU second at full throughput, " + what + " on vs off",
        1e6 / (saturatedMicros + costMicros),
        "tasks/CPU-s",
        1e6 / saturatedMicros,
        "tasks/CPU-s off",
        goal);
  }

  /** One installation, metrics on or off: its closed loop, then tracing off and on in turn. */
  private static Round round(BenchContext context, boolean metered, AtomicLong exported)
      throws Exception {
    Plan plan = context.plan();
    String prefix = "obs-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Path dir = context.workDir().resolve(prefix);
    System.setProperty(WeftRegistry.ENABLED_PROPERTY, String.valueOf(metered));
    SdkTracerProvider tracers =
        WeftTracing.withRunIds(SdkTracerProvider.builder())
            .addSpanProcessor(BatchSpanProcessor.builder(new Dropping(exported)).build())
            .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracers).build();
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
      ClosedLoop.Result saturated =
          ClosedLoop.run(
              installation,
              WORKFLOW,
              inFlight(plan),
              plan.warmUp(),
              plan.steady().dividedBy(2),
              workers);
      FixedRateWindows.Alternation windows =
          FixedRateWindows.run(
              installation,
              WORKFLOW,
              runsPerSecond(plan),
              plan.warmUp(),
              settle(plan),
              window(plan),
              pairs(plan),
              on -> {
                if (on) {
                  WeftTracing.use(sdk);
                } else {
                  WeftTracing.reset();
                }
              });
      return new Round(saturated, windows);
    } finally {
      workers.forEach(Worker::close);
      System.clearProperty(WeftRegistry.ENABLED_PROPERTY);
      WeftTracing.reset();
      tracers.close();
    }
  }

  private static boolean full(Plan plan) {
    return plan.steady().compareTo(Duration.ofSeconds(10)) >= 0;
  }

  /**
   * Diamond runs started a second: about half of what the engine does at most here, where it
   * batches nearly as at full throughput, and the CPU it spends whatever the load (polls, commits)
   * weighs less on each task.
   */
  private static double runsPerSecond(Plan plan) {
    return full(plan) ? 1500 : 25;
  }

  /**
   * Windows with tracing off, and as many on, in an installation: 10 in the full plan, 1 in smoke.
   */
  private static int pairs(Plan plan) {
    return full(plan) ? 10 : 1;
  }

  /** A window counted: a sixth of the steady state, 5 s in the full plan. */
  private static Duration window(Plan plan) {
    return plan.steady().dividedBy(6);
  }

  /** What a window lets pass before it counts: 1 s in the full plan. */
  private static Duration settle(Plan plan) {
    return plan.steady().dividedBy(30);
  }

  private static int inFlight(Plan plan) {
    return plan.throughputLevels().stream().mapToInt(Integer::intValue).max().orElse(64);
  }

  /** The mean over {@code rounds} of each group of threads' figure; a missing one counts as 0. */
  private static Map<String, Double> averaged(
      List<Round> rounds, Function<Round, Map<String, Double>> byThreads) {
    Map<String, Double> mean = new TreeMap<>();
    for (Round round : rounds) {
      byThreads
          .apply(round)
          .forEach((group, micros) -> mean.merge(group, micros / rounds.size(), Double::sum));
    }
    return mean;
  }

  private static Map<String, Double> difference(Map<String, Double> a, Map<String, Double> b) {
    Map<String, Double> difference = new TreeMap<>(a);
    b.forEach((group, micros) -> difference.merge(group, -micros, Double::sum));
    return difference;
  }

  /** The groups of threads with the largest figures, either way, as {@code name +1.2, ...}. */
  private static String largest(Map<String, Double> byThreads) {
    return byThreads.entrySet().stream()
        .sorted(
            Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue())))
        .limit(8)
        .map(e -> String.format("%s %+.1f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** The squared standard error of the mean of {@code value} over {@code rounds}. */
  private static double squaredError(List<Round> rounds, ToDoubleFunction<Round> value) {
    double mean = mean(rounds, value);
    double squares =
        rounds.stream().mapToDouble(r -> Math.pow(value.applyAsDouble(r) - mean, 2)).sum();
    int n = rounds.size();
    return n < 2 ? Double.NaN : squares / (n - 1) / n;
  }

  private static double mean(List<Round> rounds, ToDoubleFunction<Round> value) {
    return rounds.stream().mapToDouble(value).average().orElse(Double.NaN);
  }

  private static String format(List<Round> rounds, ToDoubleFunction<Round> value) {
    return rounds.stream()
        .map(r -> String.format("%.1f", value.applyAsDouble(r)))
        .toList()
        .toString();
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

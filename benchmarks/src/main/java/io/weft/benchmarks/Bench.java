package io.weft.benchmarks;

import io.weft.embedded.Directories;
import io.weft.embedded.WeftStack;
import io.weft.schemas.GeneratedClasses;
import io.weft.testkit.WeftInstallation;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Weft's benchmark harness: starts the embedded broker and schema registry, measures raw Kafka on
 * them, then Weft (a coordinator and workers), and reports every figure beside its raw-Kafka
 * baseline from the same run, as a markdown table on stdout and in {@code <out>/bench.md}, and as
 * JSON in {@code <out>/bench.json}. Run it from the repository root with {@code ./bench}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures Weft against raw Kafka on an embedded broker and schema registry, and prints a"
          + " markdown table (also written with a JSON copy under --out).",
      "Smoke mode takes seconds (every section once, tiny); full mode takes a few minutes.",
      "--soak runs the soak instead: Weft under steady load on a three-node cluster while its"
          + " processes and brokers are killed; it exits with 1 if a run was lost or an effect"
          + " applied twice."
    })
public final class Bench implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(Bench.class);
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  /** File name of the soak's markdown table in the output directory. */
  static final String SOAK_MARKDOWN_FILE = "soak.md";

  /** File name of the soak's JSON report in the output directory. */
  static final String SOAK_JSON_FILE = "soak.json";

  /** How much to measure. */
  public enum Mode {
    smoke,
    full
  }

  @Option(
      names = "--mode",
      defaultValue = "smoke",
      description = "smoke or full (default: ${DEFAULT-VALUE}).")
  Mode mode;

  @Option(
      names = "--out",
      defaultValue = "target/bench",
      description =
          "Directory for bench.md, bench.json and the work files (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--keep-work",
      description =
          "Keep the work files (the broker's data, the coordinator's state, child JVMs' logs) in"
              + " <out>/work after the run; by default they are deleted, as they take gigabytes"
              + " in full mode.")
  boolean keepWork;

  @Option(
      names = {"-C", "--coordinator"},
      description = "A coordinator setting, key=value, over the engine's defaults (repeatable).")
  Map<String, String> coordinatorOverrides = new LinkedHashMap<>();

  @Option(
      names = {"-W", "--worker"},
      description = "A worker setting, key=value, over the engine's defaults (repeatable).")
  Map<String, String> workerOverrides = new LinkedHashMap<>();

  @Option(
      names = "--only",
      split = ",",
      description =
          "Run only these sections (raw, throughput, hop, scaling, state, fanout, recovery, dl,"
              + " observability); the raw-Kafka"
              + " baseline always runs.")
  List<String> only = List.of();

  @Option(
      names = "--soak",
      description =
          "Run the soak instead of the sections: a three-node cluster, the coordinator and two"
              + " workers in JVMs of their own killed in turn every --soak-kill-interval-s, two"
              + " broker kills; writes soak.md and soak.json under --out.")
  boolean soak;

  @Option(
      names = "--soak-runs",
      defaultValue = "" + SoakPlan.DEFAULT_RUNS,
      description = "Runs the soak starts (default: ${DEFAULT-VALUE}).")
  int soakRuns;

  @Option(
      names = "--soak-rate",
      defaultValue = "" + SoakPlan.DEFAULT_RATE,
      description = "Runs the soak starts per second, at a fixed rate (default: ${DEFAULT-VALUE}).")
  double soakRate;

  @Option(
      names = "--soak-kill-interval-s",
      defaultValue = "" + SoakPlan.DEFAULT_KILL_INTERVAL_S,
      description =
          "Seconds between two kills of a worker or coordinator JVM, from the moment the previous"
              + " replacement is ready (default: ${DEFAULT-VALUE}).")
  int soakKillIntervalS;

  @Option(
      names = "--soak-final-wait-s",
      defaultValue = "" + SoakPlan.DEFAULT_FINAL_WAIT_S,
      description =
          "Seconds every run may take to end after the last start before it counts as lost"
              + " (default: ${DEFAULT-VALUE}).")
  int soakFinalWaitS;

  public static void main(String[] args) {
    int exit = new CommandLine(new Bench()).execute(args);
    System.exit(exit);
  }

  @Override
  public Integer call() throws Exception {
    Path workDir = out.resolve("work");
    Directories.deleteRecursively(workDir);
    Path registryHome =
        Path.of(System.getProperty("weft.registry.home", out.resolve("registry-dist").toString()));
    SoakPlan soakPlan = soak ? soakPlan() : null; // a bad option fails before anything starts
    try (WeftStack stack = WeftStack.start(workDir.resolve("stack"), registryHome)) {
      if (soakPlan != null) {
        return soak(stack, soakPlan, workDir);
      }
      Report report =
          run(
              stack,
              mode == Mode.full ? Plan.full() : Plan.smoke(),
              workDir,
              coordinatorOverrides,
              workerOverrides,
              only);
      report.environment("mode", mode.name());
      report.write(out);
      PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      stdout.println(report.toMarkdown());
      stdout.println(
          "Written: " + out.resolve(Report.MARKDOWN_FILE) + ", " + out.resolve(Report.JSON_FILE));
    } finally {
      if (!keepWork) {
        Directories.deleteRecursively(workDir);
      }
    }
    return 0;
  }

  /** The soak's plan from the {@code --soak-*} options. */
  SoakPlan soakPlan() {
    return new SoakPlan(
        soakRuns,
        soakRate,
        Duration.ofSeconds(soakKillIntervalS),
        Duration.ofSeconds(soakFinalWaitS));
  }

  /** Runs the soak, writes and prints its report; 1 if a run was lost or an effect duplicated. */
  private int soak(WeftStack stack, SoakPlan plan, Path workDir) throws Exception {
    GeneratedClasses.trust();
    Report report = new Soak(stack, plan, workDir, coordinatorOverrides, workerOverrides).run();
    report.write(out, SOAK_MARKDOWN_FILE, SOAK_JSON_FILE);
    PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    stdout.println(report.toMarkdown());
    stdout.println(
        "Written: " + out.resolve(SOAK_MARKDOWN_FILE) + ", " + out.resolve(SOAK_JSON_FILE));
    boolean missed = report.measures().stream().anyMatch(m -> "MISS".equals(m.verdict()));
    if (missed) {
      stdout.println("SOAK FAILED: runs lost or effects duplicated");
    }
    return missed ? 1 : 0;
  }

  /**
   * Runs every section on {@code stack} and returns the report (not yet written).
   *
   * @param workDir directory for the coordinator's state, the workers' files and logs
   * @param coordinatorOverrides coordinator settings over the engine's defaults
   * @param workerOverrides worker settings over the engine's defaults
   * @param only keys of the sections to run besides the baseline; empty for all
   */
  public static Report run(
      WeftStack stack,
      Plan plan,
      Path workDir,
      Map<String, String> coordinatorOverrides,
      Map<String, String> workerOverrides,
      List<String> only)
      throws Exception {
    GeneratedClasses.trust();
    // The JDK's HTTP server reads this once, when the first server in the process starts; here
    // that is the coordinator's query server, before the inference service (which sets it for
    // itself when it runs alone) starts in this JVM. Without it, every small answer waits for the
    // client's delayed ACK (~40 ms).
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
    Report report = new Report();
    Environment.describe(report, coordinatorOverrides, workerOverrides);
    long started = System.nanoTime();
    String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Path dir = workDir.resolve(prefix);
    try (WeftInstallation installation =
        WeftInstallation.create(stack, prefix, dir)
            .withCoordinatorSettings(coordinatorOverrides)
            .withWorkerSettings(workerOverrides)
            .withHandlers(new Handlers())
            .withChildJvmOptions(
                List.of(
                    "-Xmx256m", "-XX:+UseSerialGC", "-Dbench.log.dir=" + dir.resolve("workers")))
            .startCoordinator()) {
      BenchContext context = new BenchContext(stack, plan, installation, report, workDir);
      for (Map.Entry<String, Section> section : sections().entrySet()) {
        if (only.isEmpty() || only.contains(section.getKey()) || section.getKey().equals("raw")) {
          runSection(section.getValue(), context);
        }
      }
    }
    report.environment("took", String.format("%.0f s", (System.nanoTime() - started) / 1e9));
    return report;
  }

  /** The sections by key, in the order they run; the raw-Kafka baseline first. */
  static Map<String, Section> sections() {
    Map<String, Section> sections = new LinkedHashMap<>();
    sections.put("raw", new RawKafkaBaseline());
    sections.put("throughput", new EngineThroughput());
    sections.put("hop", new HopLatency());
    sections.put("scaling", new WorkerScaling());
    sections.put("state", new StatePerRun());
    sections.put("fanout", new FanOut());
    sections.put("recovery", new RecoveryTime());
    sections.put("dl", new DeepLearningOverhead());
    sections.put("observability", new ObservabilityOverhead());
    return sections;
  }

  private static void runSection(Section section, BenchContext context) {
    long t0 = System.nanoTime();
    log.info("Section {} starting", section.name());
    try {
      section.run(context);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.error("Section {} failed", section.name(), e);
      context.report().add(Measure.notRun(section.name(), "(section failed)", null, e.toString()));
    }
    log.info(
        "Section {} took {} ms at {}",
        section.name(),
        (System.nanoTime() - t0) / 1_000_000,
        Instant.now());
  }
}

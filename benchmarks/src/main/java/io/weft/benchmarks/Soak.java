package io.weft.benchmarks;

import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.testkit.KafkaCluster;
import io.weft.testkit.WeftInstallation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak ({@code ./bench --soak}): Weft under steady load while its processes and brokers are
 * killed, checked through the committed log. A three-node {@link KafkaCluster} (topics of three
 * replicas, min ISR two) with the bench stack's schema registry; the coordinator and {@value
 * #WORKERS} workers in JVMs of their own; {@link SoakPlan#runs()} runs of a {@value #TASKS}-task
 * DAG of no-op tasks started at a fixed rate; the kills of {@link SoakChaos}. Then every
 * acknowledged run must end, each task succeed once and each attempt have one committed result.
 */
final class Soak {

  static final String NAME = "soak";
  static final String TYPE = "bench-noop-soak";
  static final String WORKFLOW = "soak-ten";
  static final int TASKS = 10;
  static final int WORKERS = 2;

  /** Worker slots of each worker JVM. */
  static final int WORKER_CONCURRENCY = 8;

  /** The coordinator's counterpart of {@link WeftInstallation#FAST_FAILURE_DETECTION}. */
  static final Map<String, Object> COORDINATOR_FAILURE_DETECTION =
      Map.of("streams.session.timeout.ms", "6000", "streams.heartbeat.interval.ms", "1000");

  private static final Logger log = LoggerFactory.getLogger(Soak.class);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  private final WeftStack stack;
  private final SoakPlan plan;
  private final Path workDir;
  private final Map<String, String> coordinatorOverrides;
  private final Map<String, String> workerOverrides;

  Soak(
      WeftStack stack,
      SoakPlan plan,
      Path workDir,
      Map<String, String> coordinatorOverrides,
      Map<String, String> workerOverrides) {
    this.stack = stack;
    this.plan = plan;
    this.workDir = workDir;
    this.coordinatorOverrides = coordinatorOverrides;
    this.workerOverrides = workerOverrides;
  }

  /** The ten tasks: t0, then each ti after t((i-1)/3), a tree three wide. */
  static WorkflowDefinition dag() {
    WorkflowDefinition.Builder dag =
        WorkflowDefinition.builder(WORKFLOW, 1).task(TaskDefinition.builder("t0", TYPE));
    for (int i = 1; i < TASKS; i++) {
      dag.task(TaskDefinition.builder("t" + i, TYPE).dependsOn("t" + ((i - 1) / 3)));
    }
    return dag.build();
  }

  /** Runs the soak and returns its report (not yet written). */
  Report run() throws Exception {
    Report report = new Report();
    Environment.describe(report, coordinatorOverrides, workerOverrides);
    report.environment("soak", describe());
    long t0 = System.nanoTime();
    Path clusterDir = workDir.resolve("cluster");
    try (KafkaCluster cluster =
            KafkaCluster.start(clusterDir, 3, Map.of(), logTo(clusterDir.resolve("logs")));
        WeftInstallation installation = installation(cluster)) {
      SoakCast cast = new SoakCast(installation, TYPE, WORKERS);
      cast.fill();
      installation.client().register(dag());
      SoakMemory memory = new SoakMemory();
      SoakLedger ledger = new SoakLedger();
      try (EventTap tap = EventTap.fromBeginning(installation, ledger);
          SoakStarter starter = new SoakStarter(installation, WORKFLOW, plan);
          SoakChaos chaos = new SoakChaos(cast, cluster, installation, plan, memory)) {
        starter.start();
        chaos.start();
        starter.awaitDone(plan.load().multipliedBy(3).plus(Duration.ofMinutes(10)));
        chaos.stop(Duration.ofMinutes(10));
        cast.fill();
        List<String> started = starter.acknowledged();
        awaitEnded(tap, ledger, started);
        memory.atEnd(cast, cluster);
        tap.check();
        ResultCounts results = ResultCounts.read(installation, READ_TIMEOUT);
        SoakFigures figures =
            new SoakFigures(
                ledger.summarize(started),
                results,
                starter.refused(),
                cast,
                chaos.brokersKilled(),
                chaos.failures());
        figures.addTo(report);
        memory.addTo(report, NAME);
      }
    }
    report.environment("took", String.format("%.0f s", (System.nanoTime() - t0) / 1e9));
    return report;
  }

  private WeftInstallation installation(KafkaCluster cluster) {
    String prefix = "soak-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Path dir = workDir.resolve(prefix);
    Map<String, Object> workerSettings = new HashMap<>(WeftInstallation.FAST_FAILURE_DETECTION);
    workerSettings.put("worker.concurrency", String.valueOf(WORKER_CONCURRENCY));
    return WeftInstallation.create(
            cluster.bootstrapServers(), stack.schemaRegistryUrl(), prefix, dir)
        .withSharedSettings(Map.of("weft.replication.factor", "3", "weft.min.insync.replicas", "2"))
        .withCoordinatorSettings(COORDINATOR_FAILURE_DETECTION)
        .withCoordinatorSettings(coordinatorOverrides)
        .withWorkerSettings(workerSettings)
        .withWorkerSettings(workerOverrides)
        .withHandlers(new Handlers())
        .withChildJvmOptions(
            Stream.concat(
                    Stream.of("-Xmx512m", "-XX:+UseSerialGC"), logTo(dir.resolve("logs")).stream())
                .toList());
  }

  /**
   * Options of child JVMs that log to {@code dir/bench.log}, appending: the JVMs that replace a
   * killed one keep its lines, and none writes over the harness's own log.
   */
  private static List<String> logTo(Path dir) {
    return List.of("-Dbench.log.dir=" + dir, "-Dbench.log.append=true");
  }

  /** Waits, within the plan's final wait, until every acknowledged run has a final event. */
  private void awaitEnded(EventTap tap, SoakLedger ledger, List<String> started) {
    try {
      Awaitility.await("every acknowledged run ended")
          .atMost(plan.finalWait())
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                tap.check();
                return ledger.ended(started) == started.size();
              });
    } catch (ConditionTimeoutException e) {
      log.error(
          "Soak: {} of {} runs ended within {}",
          ledger.ended(started),
          started.size(),
          plan.finalWait());
    }
  }

  private String describe() {
    return String.format(
        "%,d runs of a %d-task DAG (no-op tasks) started at %.0f runs/s (%d s of load); a"
            + " three-node KRaft cluster (RF 3, min ISR 2); the coordinator and %d workers"
            + " (concurrency %d) in JVMs of their own (-Xmx512m, SerialGC, session timeouts 6 s);"
            + " every %d s (from the previous replacement ready) a worker or the coordinator, in"
            + " turn, SIGKILLed and replaced at once; at 1/3 and 2/3 of the load the active"
            + " controller, then the leader of the events' partition 0, SIGKILLed and restarted;"
            + " then up to %d s for every run to end",
        plan.runs(),
        TASKS,
        plan.rate(),
        plan.load().toSeconds(),
        WORKERS,
        WORKER_CONCURRENCY,
        plan.killInterval().toSeconds(),
        plan.finalWait().toSeconds());
  }
}

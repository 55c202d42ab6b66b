package io.weft.benchmarks;

import io.weft.testkit.KafkaCluster;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kills of the soak, on a schedule from its first start: every kill interval (counted from the
 * moment the previous replacement was ready, so that kills never bunch up) a worker or the
 * coordinator JVM, in turn, SIGKILLed and replaced at once; and at 1/3 and 2/3 of the load a broker
 * node (the active controller, then the leader of the events topic's partition 0) SIGKILLed,
 * started again on its ports and data, and waited for until every replica is back in sync. The
 * process kills go on while a node is down.
 */
final class SoakChaos implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SoakChaos.class);
  private static final Duration IN_SYNC = Duration.ofMinutes(5);

  private final SoakCast cast;
  private final KafkaCluster cluster;
  private final WeftInstallation installation;
  private final SoakPlan plan;
  private final SoakMemory memory;
  private final ScheduledExecutorService processes =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soak-process-kills"));
  // a thread of their own, one after the other: never two nodes down at once
  private final ScheduledExecutorService brokers =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soak-broker-kills"));
  private final List<ScheduledFuture<?>> brokerKills = new ArrayList<>();
  private final AtomicInteger brokersKilled = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private ScheduledFuture<?> processKills;
  private int processKillCount;

  SoakChaos(
      SoakCast cast,
      KafkaCluster cluster,
      WeftInstallation installation,
      SoakPlan plan,
      SoakMemory memory) {
    this.cast = cast;
    this.cluster = cluster;
    this.installation = installation;
    this.plan = plan;
    this.memory = memory;
  }

  /** Starts the schedule; call it with the first start. */
  void start() {
    long interval = plan.killInterval().toMillis();
    processKills =
        processes.scheduleWithFixedDelay(
            this::killProcess, interval, interval, TimeUnit.MILLISECONDS);
    List<Duration> times = plan.brokerKills();
    for (int i = 0; i < times.size(); i++) {
      int kill = i;
      brokerKills.add(
          brokers.schedule(() -> killBroker(kill), times.get(i).toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  /**
   * Reads the memory of every JVM before the first kill, then kills a worker or the coordinator.
   */
  private void killProcess() {
    try {
      if (!memory.hasStart()) {
        memory.atStart(cast, cluster);
      }
      cast.fill();
      SoakCast.Role role =
          processKillCount++ % 2 == 0 ? SoakCast.Role.WORKER : SoakCast.Role.COORDINATOR;
      cast.killAndReplace(role);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) { // a failed kill or start: the next tick starts what is missing
      failures.incrementAndGet();
      log.error("Soak: a process kill or replacement failed", e);
    }
  }

  private void killBroker(int kill) {
    try {
      int victim = kill == 0 ? -1 : cluster.leaderOf(installation.topics().events(), 0);
      if (victim < 0) {
        victim = cluster.activeController();
      }
      log.info(
          "Soak: killing broker node {} ({})",
          victim,
          kill == 0 ? "active controller" : "leader of events-0");
      cluster.kill(victim);
      brokersKilled.incrementAndGet();
      cluster.restart(victim);
      cluster.awaitInSync(IN_SYNC);
      log.info("Soak: broker node {} restarted and every replica in sync", victim);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) { // counted and reported; the soak goes on on the other nodes
      failures.incrementAndGet();
      log.error("Soak: a broker kill or restart failed", e);
    }
  }

  /**
   * Stops the process kills and waits for the broker kills (scheduled within the load) to finish,
   * each node started again and in sync.
   */
  void stop(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
    if (processKills != null) {
      processKills.cancel(false);
    }
    for (ScheduledFuture<?> kill : brokerKills) {
      kill.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    processes.shutdown();
    brokers.shutdown();
    if (!processes.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)
        || !brokers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("The last kill did not end within " + timeout);
    }
  }

  int brokersKilled() {
    return brokersKilled.get();
  }

  /** Kills or restarts that failed (each logged). */
  int failures() {
    return failures.get();
  }

  @Override
  public void close() throws InterruptedException {
    processes.shutdownNow();
    brokers.shutdownNow();
    processes.awaitTermination(30, TimeUnit.SECONDS);
    brokers.awaitTermination(30, TimeUnit.SECONDS);
  }
}

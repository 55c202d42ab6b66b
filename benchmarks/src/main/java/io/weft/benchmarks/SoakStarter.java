package io.weft.benchmarks;

import io.weft.core.api.WeftClient;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the soak's runs at the plan's fixed rate, one {@link WeftClient#startRun} at a time (each
 * returns once the brokers have acknowledged the command), and keeps the ids of the acknowledged
 * ones. A start that stalls, as while a broker's partitions move, delays the next; the missed
 * starts then follow back to back, as a fixed-rate schedule does.
 */
final class SoakStarter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SoakStarter.class);

  private final WeftClient client;
  private final String workflow;
  private final SoakPlan plan;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soak-starter"));
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final List<String> acknowledged = new ArrayList<>();
  private int attempts;
  private int refused;

  /** A starter with a client of its own that asks no coordinator (it only writes commands). */
  SoakStarter(WeftInstallation installation, String workflow, SoakPlan plan) {
    this.client = WeftClient.create(installation.connection());
    this.workflow = workflow;
    this.plan = plan;
  }

  /** Starts the schedule: the first run now, the others one {@link SoakPlan#startPeriod} apart. */
  void start() {
    executor.scheduleAtFixedRate(
        this::startOne, 0, plan.startPeriod().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void startOne() {
    synchronized (this) {
      if (attempts >= plan.runs()) {
        done.complete(null);
        executor.shutdown();
        return;
      }
      attempts++;
    }
    try {
      String runId = client.startRun(workflow, Map.of());
      synchronized (this) {
        acknowledged.add(runId);
      }
    } catch (RuntimeException e) { // a WeftException, or the producer's own
      log.warn("Soak: a start was not acknowledged: {}", e.getMessage());
      synchronized (this) {
        refused++;
      }
    }
  }

  /** Waits until every start was tried. */
  void awaitDone(Duration timeout) throws Exception {
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Starting " + plan.runs() + " runs took over " + timeout + "; " + attempts() + " tried",
          e);
    }
  }

  /** Ids of the runs whose start the brokers acknowledged. */
  synchronized List<String> acknowledged() {
    return List.copyOf(acknowledged);
  }

  synchronized int attempts() {
    return attempts;
  }

  /** Starts that failed (not acknowledged within the client's timeout). */
  synchronized int refused() {
    return refused;
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(30, TimeUnit.SECONDS);
    client.close();
  }
}

package io.weft.benchmarks;

import io.weft.testkit.ChildJvm;
import io.weft.testkit.WeftInstallation;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak's Weft processes: one coordinator and a fixed number of workers, each a JVM of its own,
 * and the replacements started when one is killed. Remembers the first and the latest JVM of each
 * role, whose memory the soak reports.
 */
final class SoakCast {

  /** A kind of Weft process. */
  enum Role {
    COORDINATOR("coordinator"),
    WORKER("worker");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(SoakCast.class);

  private final WeftInstallation installation;
  private final String type;
  private final int workerCount;
  private final Deque<ChildJvm> workers = new ArrayDeque<>();
  private ChildJvm coordinator;
  private ChildJvm firstCoordinator;
  private ChildJvm firstWorker;
  private int workersStarted;
  private int coordinatorKills;
  private int workerKills;

  SoakCast(WeftInstallation installation, String type, int workerCount) {
    this.installation = installation;
    this.type = type;
    this.workerCount = workerCount;
  }

  /** Starts whatever is missing: the coordinator, then workers up to their count. */
  synchronized void fill() throws IOException {
    if (coordinator == null || !coordinator.isAlive()) {
      coordinator = installation.startCoordinatorProcess();
      if (firstCoordinator == null) {
        firstCoordinator = coordinator;
      }
    }
    workers.removeIf(worker -> !worker.isAlive());
    while (workers.size() < workerCount) {
      String id = "soak-w" + ++workersStarted;
      ChildJvm worker = installation.startWorkerProcess(Map.of("worker.id", id), type);
      workers.addLast(worker);
      if (firstWorker == null) {
        firstWorker = worker;
      }
    }
  }

  /** SIGKILLs a JVM of {@code role} (the oldest worker) and starts its replacement at once. */
  synchronized void killAndReplace(Role role) throws IOException, InterruptedException {
    ChildJvm victim = role == Role.COORDINATOR ? coordinator : workers.pollFirst();
    if (victim == null) {
      throw new IllegalStateException("No " + role.label() + " runs");
    }
    victim.kill();
    if (role == Role.COORDINATOR) {
      coordinator = null;
      coordinatorKills++;
    } else {
      workerKills++;
    }
    log.info("Soak: {} pid {} killed; starting another", role.label(), victim.pid());
    fill();
  }

  /** The first JVM of {@code role}, or null before any started. */
  synchronized ChildJvm first(Role role) {
    return role == Role.COORDINATOR ? firstCoordinator : firstWorker;
  }

  /** The latest JVM of {@code role} (the youngest worker), or null if none runs. */
  synchronized ChildJvm latest(Role role) {
    return role == Role.COORDINATOR ? coordinator : workers.peekLast();
  }

  synchronized int kills(Role role) {
    return role == Role.COORDINATOR ? coordinatorKills : workerKills;
  }
}

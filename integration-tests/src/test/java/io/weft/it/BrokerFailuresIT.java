package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.coordinator.CoordinatorTopology;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.testkit.CommittedRecords;
import io.weft.testkit.ConsumerGroups;
import io.weft.testkit.EventLog;
import io.weft.testkit.KafkaCluster;
import io.weft.testkit.KafkaTools;
import io.weft.testkit.OpenTransactions;
import io.weft.testkit.TestScale;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Brokers of a three-node cluster killed (SIGKILL) and started again under the load of 500 runs of
 * a 10-task DAG, each time the node that leads something Weft needs (a partition of the results,
 * the metadata quorum, a partition of the coordinator's run state), so that the role moves: once in
 * the README's test command, all three with {@code ./bench --faults}. Every run completes, each
 * task succeeds once in the committed log, each attempt has one committed result, and every command
 * a client had acknowledged is acted on. Topics have three replicas and a min ISR of two, as Weft's
 * docs advise for such a cluster, so one node down stops nothing.
 */
@ExtendWith({WeftStackExtension.class, ClusterExtension.class})
class BrokerFailuresIT {

  private static final int RUNS = 500;
  private static final int TASKS_PER_RUN = 10;
  // the README's test command kills one node, the leader of the results; ./bench --faults all three
  private static final int KILLS = TestScale.pick(1, 3);
  private static final Duration RECOVERY = Duration.ofMinutes(2);

  private WeftInstallation kit;
  private Worker worker;
  private String newestRun;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldCompleteEveryRunOnceWhenTheNodesLeadingWhatWeftNeedsAreKilled(
      WeftStack stack, KafkaCluster cluster) throws Exception {
    // given: a coordinator and a worker on the cluster; the nodes killed are, in turn, the leader
    // of weft.results' partition 0, the active controller, and the leader of partition 0 of the
    // coordinator's run-state changelog
    kit = installation(stack, cluster, "broker-kills");
    String changelog = kit.applicationId() + "-" + CoordinatorTopology.RUNS_STORE + "-changelog";
    List<IntSupplier> leaders =
        List.of(
            () -> cluster.leaderOf(kit.topics().results(), 0),
            cluster::activeController,
            () -> cluster.leaderOf(changelog, 0));
    List<String> roles =
        List.of(kit.topics().results() + "-0", "the metadata quorum", changelog + "-0");

    // when / then: each time, the role moves to another node while the killed one is down
    runUnderKills(
        cluster,
        kill -> {
          int victim = leaders.get(kill).getAsInt();
          System.out.printf("Killing node %d, leader of %s%n", victim, roles.get(kill));
          return victim;
        },
        (kill, victim) ->
            await("a new leader of " + roles.get(kill))
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(
                    () -> {
                      int leader = leaders.get(kill).getAsInt();
                      return leader > 0 && leader != victim;
                    }));
    // and: Kafka's own tool finds no transaction left hanging on any node
    for (int node : cluster.nodeIds()) {
      String hanging =
          KafkaTools.transactions(
              cluster.bootstrapServers(), "find-hanging", "--broker-id", String.valueOf(node));
      assertThat(hanging.lines().skip(1).filter(line -> !line.isBlank()))
          .as("kafka-transactions find-hanging --broker-id %d", node)
          .isEmpty();
    }
  }

  private WeftInstallation installation(WeftStack stack, KafkaCluster cluster, String name) {
    WeftInstallation installation =
        ClusterExtension.installation(stack, cluster, name)
            .withHandlers(new TestHandlers())
            .startCoordinator();
    worker = installation.startWorker(Map.of("worker.concurrency", "8"), "step");
    WorkflowDefinition.Builder dag =
        WorkflowDefinition.builder("ten", 1).task(TaskDefinition.builder("t0", "step"));
    for (int i = 1; i < TASKS_PER_RUN; i++) {
      dag.task(TaskDefinition.builder("t" + i, "step").dependsOn("t" + ((i - 1) / 3)));
    }
    installation.client().register(dag.build());
    return installation;
  }

  /** What a test checks once a node is down, before it starts again. */
  private interface WhileDown {
    void check(int kill, int victim) throws Exception;
  }

  /**
   * Starts the runs in {@code KILLS + 1} batches: the first before any kill, each other while a
   * node is down. After each kill the load must make progress on two nodes before the node starts
   * again and every replica is back in sync.
   */
  private void runUnderKills(KafkaCluster cluster, IntUnaryOperator victims, WhileDown whileDown)
      throws Exception {
    WeftClient client = kit.client();
    int totalRuns = RUNS;
    int totalTasks = totalRuns * TASKS_PER_RUN;
    int batch = totalRuns / (KILLS + 1);
    List<String> runs = new ArrayList<>();
    try (CommittedRecords<RunEvent> events =
        new CommittedRecords<>(
            cluster.bootstrapServers(),
            kit.topics().events(),
            new AvroDeserializer<>(
                RunEvent.class, Map.of("schema.registry.url", kit.schemaRegistryUrl())),
            Duration.ofMinutes(3))) {
      runs.addAll(start(client, batch));
      for (int kill = 0; kill < KILLS; kill++) {
        int due = (kill + 1) * totalTasks / (KILLS + 3);
        progress(events, read -> count(read, TaskSucceeded.class) >= due, cluster);
        // one failure at a time: a replica that fell behind under load is a second one already,
        // and killing the only other in-sync replica of a partition would take it offline
        cluster.awaitInSync(RECOVERY);
        int victim = victims.applyAsInt(kill);
        cluster.kill(victim);
        whileDown.check(kill, victim);
        // commands written and tasks done with the node down; counted from before the runs are
        // started, which may all end before a count taken after them could see more
        long before = count(events.readToEnd(), TaskSucceeded.class);
        runs.addAll(start(client, kill == KILLS - 1 ? totalRuns - runs.size() : batch));
        progress(
            events, read -> count(read, TaskSucceeded.class) >= before + totalTasks / 20, cluster);
        System.out.printf(
            "Node %d killed at %d tasks succeeded; %d more succeeded while it was down%n",
            victim, due, count(events.readToEnd(), TaskSucceeded.class) - before);
        cluster.restart(victim);
        cluster.awaitInSync(RECOVERY);
      }

      // then: every acknowledged command started a run, which succeeded; one success per task
      List<ConsumerRecord<String, RunEvent>> log =
          progress(
              events,
              read -> count(read, RunSucceeded.class) + count(read, RunFailed.class) >= totalRuns,
              cluster);
      assertThat(count(log, RunFailed.class)).isZero();
      assertThat(
              log.stream()
                  .filter(r -> r.value().getEvent() instanceof RunSucceeded)
                  .map(r -> r.value().getRunId())
                  .collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(runs);
      assertThat(EventLog.successesPerTask(log.stream().map(ConsumerRecord::value).toList()))
          .hasSize(totalTasks)
          .allSatisfy((task, count) -> assertThat(count).as(task).isEqualTo(1L));
    }
    // and: no attempt has two committed results
    assertThat(kit.eventLog().resultsPerAttempt())
        .hasSizeGreaterThanOrEqualTo(totalTasks)
        .allSatisfy((attempt, count) -> assertThat(count).as(attempt).isEqualTo(1L));
  }

  /**
   * Waits until the committed events satisfy {@code condition}; if they do not in time, fails with
   * what the worker, the coordinator, their groups and the cluster's partitions looked like then,
   * and prints the threads of the worker and the coordinator.
   */
  private List<ConsumerRecord<String, RunEvent>> progress(
      CommittedRecords<RunEvent> events,
      Predicate<List<ConsumerRecord<String, RunEvent>>> condition,
      KafkaCluster cluster) {
    try {
      return events.awaitUntil(condition);
    } catch (ConditionTimeoutException e) {
      Thread.getAllStackTraces()
          .forEach(
              (thread, stack) -> {
                if (thread.getName().startsWith("weft-") || thread.getName().contains("Stream")) {
                  System.out.println(
                      thread
                          + "\n\tat "
                          + Arrays.stream(stack)
                              .map(String::valueOf)
                              .collect(Collectors.joining("\n\tat ")));
                }
              });
      throw new AssertionError(stalled(events, cluster), e);
    }
  }

  /**
   * What the worker, the coordinator, their groups, the transactions and the cluster's partitions
   * look like when the load makes no progress: a failure message.
   */
  private String stalled(CommittedRecords<RunEvent> events, KafkaCluster cluster) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      return String.format(
          "No progress: worker %s (%d executions, %d transactions, %d expired, %d already"
              + " done, %d dead-lettered, %d rebalances), coordinator %s; %s; the newest run:"
              + " %s;"
              + " %s; %s; %s; nodes running %s; partitions with fewer than two replicas in"
              + " sync: %s",
          worker.state(),
          worker.executions(),
          worker.transactions(),
          worker.expired(),
          worker.alreadyDone(),
          worker.deadLettered(),
          worker.rebalances(),
          kit.coordinator().state(),
          read(events.read()),
          newest(),
          ConsumerGroups.describe(admin, kit.topics().workerGroup("step")),
          ConsumerGroups.describe(admin, kit.applicationId()),
          OpenTransactions.describe(
              admin,
              List.of(
                  kit.topics().events(),
                  kit.topics().results(),
                  kit.topics().commands(),
                  kit.topics().tasks("step"))),
          cluster.nodeIds().stream().filter(cluster::isRunning).toList(),
          cluster.partitionsWithFewerInSync(2));
    }
  }

  private List<String> start(WeftClient client, int runs) {
    List<String> started =
        IntStream.range(0, runs).mapToObj(i -> client.startRun("ten", Map.of())).toList();
    newestRun = started.get(started.size() - 1);
    return started;
  }

  /** The events read, by kind, and the first run failure's reason, for a failure message. */
  private static String read(List<ConsumerRecord<String, RunEvent>> events) {
    Map<String, Long> kinds =
        events.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.value().getEvent().getClass().getSimpleName(),
                    java.util.TreeMap::new,
                    Collectors.counting()));
    return "events read "
        + kinds
        + events.stream()
            .filter(r -> r.value().getEvent() instanceof RunFailed)
            .findFirst()
            .map(r -> ", first run failed: " + r.value())
            .orElse("");
  }

  /** What the coordinator's query API says of the run started last, for a failure message. */
  private String newest() {
    try {
      return newestRun
          + " "
          + kit.client().status(newestRun).map(Object::toString).orElse("unknown");
    } catch (RuntimeException e) {
      return newestRun + ": cannot tell: " + e;
    }
  }

  private static long count(List<ConsumerRecord<String, RunEvent>> events, Class<?> type) {
    return events.stream().filter(r -> type.isInstance(r.value().getEvent())).count();
  }
}

package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.testkit.ChildJvm;
import io.weft.testkit.CommittedRecords;
import io.weft.testkit.KafkaCluster;
import io.weft.testkit.WeftInstallation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A zombie worker: a worker JVM stopped (SIGSTOP) in the middle of its tasks, past its session
 * timeout and its transactions' timeout, while its partitions move to another worker, then let go
 * on (SIGCONT). Its late results must never be committed: the other worker's are the only ones.
 */
@ExtendWith({WeftStackExtension.class, ClusterExtension.class})
class ZombieWorkerIT {

  private static final int RUNS = 16;
  private static final long TASK_MILLIS = 3_000;

  private WeftInstallation kit;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldCommitNothingAZombieWorkerProducesAfterItsPause(WeftStack stack, KafkaCluster cluster)
      throws Exception {
    // given: two worker JVMs of a task type whose tasks take 3 s, on the cluster
    kit =
        ClusterExtension.installation(stack, cluster, "zombie")
            .withHandlers(new TestHandlers())
            .startCoordinator();
    ChildJvm zombie = kit.startWorkerProcess(worker("zombie"), "slow");
    kit.startWorkerProcess(worker("survivor"), "slow");
    kit.awaitStableGroup("slow", 2);
    kit.client()
        .register(
            WorkflowDefinition.builder("wait", 1)
                .task(TaskDefinition.builder("only", "slow").param("millis", TASK_MILLIS))
                .build());
    try (CommittedRecords<RunEvent> events =
        new CommittedRecords<>(
            cluster.bootstrapServers(),
            kit.topics().events(),
            new AvroDeserializer<>(
                RunEvent.class, Map.of("schema.registry.url", kit.schemaRegistryUrl())),
            Duration.ofMinutes(2))) {
      List<String> runs =
          IntStream.range(0, RUNS).mapToObj(i -> kit.client().startRun("wait", Map.of())).toList();
      List<ConsumerRecord<String, RunEvent>> beforePause =
          events.awaitUntil(read -> startedBy(read, "zombie").size() >= 2);
      Set<String> held = startedBy(beforePause, "zombie");

      // when: the zombie stops mid-task until its tasks have been done by the survivor
      zombie.pause();
      long pausedAt = System.currentTimeMillis();
      for (String runId : runs) {
        assertThat(kit.client().awaitCompletion(runId, Duration.ofSeconds(90)).status())
            .isEqualTo(RunView.Status.SUCCEEDED);
      }
      long pauseMillis = System.currentTimeMillis() - pausedAt;
      zombie.resume();
      long resumedAt = System.currentTimeMillis();
      // it comes back: it rejoins its group, having found out its partitions went elsewhere
      kit.awaitStableGroup("slow", 2);

      // then: each task succeeded once; what the zombie held was done by the survivor
      List<ConsumerRecord<String, RunEvent>> log = events.readToEnd();
      Map<String, Long> successes =
          log.stream()
              .map(ConsumerRecord::value)
              .filter(e -> e.getEvent() instanceof TaskSucceeded)
              .collect(Collectors.groupingBy(RunEvent::getRunId, Collectors.counting()));
      assertThat(successes)
          .hasSize(RUNS)
          .allSatisfy((run, count) -> assertThat(count).as(run).isEqualTo(1L));
      assertThat(pauseMillis)
          .as("paused past the session timeout and the transaction timeout")
          .isGreaterThan(10_000);
      List<ConsumerRecord<String, TaskReport>> results = committedResults();
      Map<String, String> finishedBy =
          results.stream()
              .filter(r -> r.value().getReport() instanceof TaskResult)
              .map(r -> (TaskResult) r.value().getReport())
              .collect(
                  Collectors.toMap(
                      r -> r.getRunId() + "/" + r.getAttempt(), TaskResult::getWorkerId));
      assertThat(held)
          .as("attempts the zombie had started when it was paused")
          .allSatisfy(attempt -> assertThat(finishedBy.get(attempt)).isEqualTo("survivor"));
      // and: nothing the zombie sent after the pause is committed, in results or events
      assertThat(results)
          .filteredOn(r -> r.timestamp() >= pausedAt)
          .allSatisfy(r -> assertThat(workerOf(r.value())).isNotEqualTo("zombie"));
      assertThat(log)
          .filteredOn(r -> r.timestamp() >= resumedAt)
          .as("events after the zombie resumed")
          .isEmpty();
    }
    // and: the broker refused its transaction, as the group had moved on without it
    Path workerLog = kit.dir().resolve("test.log");
    await("the zombie's fenced commit in " + workerLog)
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.readAllLines(workerLog).stream()
                    .anyMatch(
                        line ->
                            line.contains(
                                    "Transaction of "
                                        + kit.topics().prefix()
                                        + "workers.slow.zombie")
                                && line.contains("CommitFailedException")));
  }

  private Map<String, Object> worker(String id) {
    Map<String, Object> settings = new HashMap<>(WeftInstallation.FAST_FAILURE_DETECTION);
    settings.put("worker.id", id);
    settings.put("worker.concurrency", "4");
    return settings;
  }

  /** The attempts ({@code runId/attempt}) a worker has started, per the committed events. */
  private static Set<String> startedBy(List<ConsumerRecord<String, RunEvent>> events, String id) {
    return events.stream()
        .map(ConsumerRecord::value)
        .filter(e -> e.getEvent() instanceof TaskStarted s && id.equals(s.getWorkerId()))
        .map(e -> e.getRunId() + "/" + ((TaskStarted) e.getEvent()).getAttempt())
        .collect(Collectors.toSet());
  }

  private List<ConsumerRecord<String, TaskReport>> committedResults() {
    try (CommittedRecords<TaskReport> reader =
        new CommittedRecords<>(
            kit.bootstrapServers(),
            kit.topics().results(),
            new AvroDeserializer<>(
                TaskReport.class, Map.of("schema.registry.url", kit.schemaRegistryUrl())),
            Duration.ofSeconds(30))) {
      return reader.readToEnd();
    }
  }

  private static String workerOf(TaskReport report) {
    return report.getReport() instanceof TaskResult result ? result.getWorkerId() : null;
  }
}

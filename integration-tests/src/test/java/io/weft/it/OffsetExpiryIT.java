package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.testkit.KafkaCluster;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker group idle past the broker's {@code offsets.retention.minutes} (one minute on the test
 * cluster): its committed offsets expire, and the next worker of the type finds none. It must not
 * execute again the tasks the group had done, and must say loudly what happened.
 */
@ExtendWith({WeftStackExtension.class, ClusterExtension.class})
class OffsetExpiryIT {

  private static final int RUNS = 20;

  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  private WeftInstallation kit;

  @AfterEach
  void stop() {
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldNotExecuteDoneTasksAgainWhenTheGroupsOffsetsExpired(
      WeftStack stack, KafkaCluster cluster) throws Exception {
    // given: runs of a two-task chain done by a worker that then stops, leaving its group empty
    kit = ClusterExtension.installation(stack, cluster, "expiry").startCoordinator();
    Worker first = kit.startWorker(Map.of(), counting());
    kit.client()
        .register(
            WorkflowDefinition.builder("pair", 1)
                .task(TaskDefinition.builder("a", "count"))
                .task(TaskDefinition.builder("b", "count").dependsOn("a"))
                .build());
    List<String> done = startAndAwait(RUNS);
    first.close();
    assertThat(executions).hasSize(RUNS * 2);

    // when: its offsets expire, and a worker of the type starts again
    String group = kit.topics().workerGroup("count");
    await("the offsets of " + group + " to expire")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> committedOffsets(group) == 0);
    Worker second = kit.startWorker(Map.of(), counting());
    List<String> later = startAndAwait(5);

    // then: no task the group had done ran again; the new runs ran once each
    assertThat(executions)
        .hasSize((RUNS + later.size()) * 2)
        .allSatisfy((task, count) -> assertThat(count.get()).as(task).isEqualTo(1));
    assertThat(done).allSatisfy(run -> assertThat(executions).containsKey(run + "/a"));
    // and: it read every request the group had done, and committed past each one
    assertThat(second.alreadyDone()).isEqualTo(RUNS * 2);
    // and: the worker said why it skipped them, naming the broker's setting
    Path log = kit.dir().getParent().resolve("test.log");
    assertThat(Files.readAllLines(log))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(kit.topics().tasks("count"))
                    .contains("offsets.retention.minutes"));
    assertThat(second.state()).isEqualTo(Worker.State.RUNNING);
  }

  private TaskHandler counting() {
    return Handlers.handler(
        "count",
        context -> {
          executions
              .computeIfAbsent(context.runId() + "/" + context.taskId(), k -> new AtomicInteger())
              .incrementAndGet();
          return TaskOutputs.empty();
        });
  }

  private List<String> startAndAwait(int count) {
    List<String> runs =
        IntStream.range(0, count).mapToObj(i -> kit.client().startRun("pair", Map.of())).toList();
    for (String runId : runs) {
      assertThat(kit.client().awaitCompletion(runId, Duration.ofSeconds(60)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
    return runs;
  }

  private int committedOffsets(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kit.bootstrapServers()))) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS)
          .size();
    }
  }
}

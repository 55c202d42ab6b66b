package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.testkit.ChildJvm;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two worker processes started with the same {@code worker.id} by mistake work side by side: each
 * has its own transactional ids, so neither fences the other.
 */
@ExtendWith(WeftStackExtension.class)
class DuplicateWorkerIdIT {

  @Test
  void shouldRunBothProcessesWithDistinctTransactionalIdsWhenTheyShareAWorkerId(WeftStack stack)
      throws Exception {
    // given: two worker JVMs with one worker.id, both holding partitions of the type
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "twins")
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      Map<String, Object> twin = Map.of("worker.id", "twin", "worker.concurrency", "3");
      ChildJvm first = weft.startWorkerProcess(twin, "step");
      ChildJvm second = weft.startWorkerProcess(twin, "step");
      weft.awaitStableGroup("step", 2);
      weft.client()
          .register(
              WorkflowDefinition.builder("pair", 1)
                  .task(TaskDefinition.builder("a", "step"))
                  .task(TaskDefinition.builder("b", "step").dependsOn("a"))
                  .build());

      // when
      List<String> runs =
          IntStream.range(0, 30).mapToObj(i -> weft.client().startRun("pair", Map.of())).toList();

      // then: every run succeeds, both processes live, each with its own transactional id
      for (String run : runs) {
        assertThat(weft.client().awaitCompletion(run, Duration.ofSeconds(60)).status())
            .isEqualTo(RunView.Status.SUCCEEDED);
      }
      assertThat(first.isAlive()).isTrue();
      assertThat(second.isAlive()).isTrue();
      String group = weft.topics().workerGroup("step") + ".twin.";
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
        List<String> ids =
            admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                .map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith(group))
                .toList();
        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
      }
    }
  }
}

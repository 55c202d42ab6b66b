package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.common.WeftException;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WeftTopics;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Components start in any order: whoever comes first creates the topics it needs from the one
 * catalogue, with the one partition setting, and the run-keyed topics stay co-partitioned.
 */
@ExtendWith(WeftStackExtension.class)
class StartOrderIT {

  private static final WorkflowDefinition CHAIN =
      WorkflowDefinition.builder("chain", 1)
          .task(TaskDefinition.builder("a", "step"))
          .task(TaskDefinition.builder("b", "step").dependsOn("a"))
          .build();

  @Test
  void shouldRunWhenAWorkerStartsBeforeTheCoordinatorWithANonDefaultPartitionCount(WeftStack stack)
      throws Exception {
    // given: every component of the installation set to 3 partitions, the worker started first
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "worker-first")
            .withSharedSettings(Map.of("weft.partitions", "3"))
            .withHandlers(new TestHandlers())) {
      weft.startWorker(Map.of(), "step");

      // when
      RunView run = startCoordinatorAndRunTheChain(weft);

      // then
      assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
      assertThat(partitions(stack, weft.topics(), WeftTopics.CORE))
          .containsEntry(weft.topics().commands(), 3)
          .containsEntry(weft.topics().results(), 3)
          .containsEntry(weft.topics().events(), 3);
    }
  }

  @Test
  void shouldGiveMissingRunKeyedTopicsTheCountOfThoseThatExist(WeftStack stack) throws Exception {
    // given: a worker with 2 partitions creates the results topic before a coordinator with 5
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "disagree")
            .withCoordinatorSettings(Map.of("weft.partitions", "5"))
            .withWorkerSettings(Map.of("weft.partitions", "2"))
            .withHandlers(new TestHandlers())) {
      weft.startWorker(Map.of(), "step");

      // when
      RunView run = startCoordinatorAndRunTheChain(weft);

      // then: commands and events follow results; the coordinator's other topics get its 5
      assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
      assertThat(partitions(stack, weft.topics(), WeftTopics.CORE))
          .containsEntry(weft.topics().results(), 2)
          .containsEntry(weft.topics().commands(), 2)
          .containsEntry(weft.topics().events(), 2)
          .containsEntry(weft.topics().definitions(), 5);
    }
  }

  @Test
  void shouldRefuseToStartOnRunKeyedTopicsWithDifferentCounts(WeftStack stack) throws Exception {
    // given: commands and results created by hand with different counts
    try (WeftInstallation weft = WeftInstallation.forTests(stack, "mismatch");
        Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(weft.topics().commands(), Optional.of(2), Optional.empty()),
                  new NewTopic(weft.topics().results(), Optional.of(4), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);

      // when / then
      assertThatThrownBy(weft::startCoordinator)
          .isInstanceOf(WeftException.class)
          .hasMessageContaining(weft.topics().commands() + "=2")
          .hasMessageContaining(weft.topics().results() + "=4")
          .hasMessageContaining("same partition count");
    }
  }

  private static RunView startCoordinatorAndRunTheChain(WeftInstallation weft) {
    weft.startCoordinator();
    weft.client().register(CHAIN);
    return weft.client()
        .awaitCompletion(weft.client().startRun("chain", Map.of()), Duration.ofSeconds(60));
  }

  private static Map<String, Integer> partitions(
      WeftStack stack, WeftTopics topics, List<io.weft.core.api.TopicSpec<?>> specs)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      Map<String, Integer> counts = new TreeMap<>();
      admin
          .describeTopics(topics.names(specs))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .forEach((name, d) -> counts.put(name, d.partitions().size()));
      return counts;
    }
  }
}

package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A short task does not wait behind a long one whose request came first on its partition. */
@ExtendWith(WeftStackExtension.class)
class HeadOfLineIT {

  @Test
  void shouldEndAShortTasksRunWithinOneSecondWhileALongTaskOfItsPartitionRuns(WeftStack stack)
      throws Exception {
    // given: task topics of one partition, so that every request shares it
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "head-of-line")
            .withSharedSettings(Map.of("weft.partitions", "1"))
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      weft.startWorker(Map.of("worker.concurrency", "4"), "slow");
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("sleeps", 1)
              .param("millis", 10)
              .task(TaskDefinition.builder("work", "slow").param("millis", "${params.millis}"))
              .build());
      assertThat(partitionsOf(stack, weft.topics().tasks("slow"))).isEqualTo(1);

      // when: a 20 s task, then a 10 ms one behind it on the same partition
      String longRun = client.startRun("sleeps", Map.of("millis", 20_000));
      String shortRun = client.startRun("sleeps", Map.of("millis", 10));

      // then
      RunView quick = client.awaitCompletion(shortRun, Duration.ofSeconds(10));
      assertThat(quick.status()).isEqualTo(RunView.Status.SUCCEEDED);
      assertThat(Duration.between(quick.startedAt(), quick.finishedAt()))
          .isLessThan(Duration.ofSeconds(1));
      assertThat(client.status(longRun).orElseThrow().status()).isEqualTo(RunView.Status.RUNNING);
      client.cancel(longRun, "the test is over"); // the slow handler stops when told
    }
  }

  private static int partitionsOf(WeftStack stack, String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      return admin
          .describeTopics(java.util.List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .size();
    }
  }
}

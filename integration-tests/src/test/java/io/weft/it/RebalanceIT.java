package io.weft.it;

import static io.weft.it.CoordinatorKit.request;
import static io.weft.it.Handlers.handler;
import static io.weft.it.Handlers.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.results.TaskReport;
import io.weft.testkit.CommittedRecords;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A worker that loses a partition mid-task discards that attempt; it is executed again. */
@ExtendWith(WeftStackExtension.class)
class RebalanceIT {

  @Test
  void shouldCancelAndDiscardAnAttemptWhosePartitionIsLostAndCommitOnlyItsReExecution(
      WeftStack stack) throws Exception {
    // given: a static member whose first execution runs until cancelled
    List<TaskContext> executions = new CopyOnWriteArrayList<>();
    CountDownLatch firstStarted = new CountDownLatch(1);
    var handler =
        handler(
            "fit",
            ctx -> {
              executions.add(ctx);
              if (executions.size() == 1) {
                firstStarted.countDown();
                await().atMost(Duration.ofSeconds(60)).until(ctx::isCancelled);
                return TaskOutputs.empty().with("execution", 1);
              }
              return TaskOutputs.empty().with("execution", executions.size());
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack);
        Worker worker =
            Worker.builder(
                    kit.workerConfig("w-1", Map.of("consumer.group.instance.id", "w-1-static")))
                .handler(handler)
                .build()
                .start();
        CommittedRecords<TaskReport> reports = kit.results()) {
      kit.publish(0, request("run-1", "t", 1, "fit"));
      assertThat(firstStarted.await(60, TimeUnit.SECONDS)).isTrue();

      // when: the member is removed from the group, so that it loses its partitions
      kit.admin()
          .removeMembersFromConsumerGroup(
              kit.topics().workerGroup("fit"),
              new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove("w-1-static"))))
          .all()
          .get(30, TimeUnit.SECONDS);
      reports.awaitUntil(r -> !results(r).isEmpty());

      // then: the first attempt was cancelled and discarded; the re-execution was committed
      assertThat(executions).hasSize(2);
      assertThat(executions.get(0).isCancelled()).isTrue();
      assertThat(executions.get(1).idempotencyKey()).isEqualTo("run-1/t/1");
      assertThat(results(reports.readToEnd()))
          .singleElement()
          .satisfies(r -> assertThat(r.getOutputs().get("execution").getJson()).isEqualTo("2"));
      assertThat(worker.rebalances()).isPositive();
      kit.awaitCommittedOffset("fit", 0, 1);
    }
  }
}

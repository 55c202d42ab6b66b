package io.weft.it;

import static io.weft.it.CoordinatorKit.request;
import static io.weft.it.Handlers.handler;
import static io.weft.it.Handlers.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.testkit.CommittedRecords;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A handler may run far longer than max.poll.interval.ms without losing its partition. */
@ExtendWith(WeftStackExtension.class)
class LongTaskIT {

  private static final long MAX_POLL_INTERVAL_MS = 3000;
  private static final Map<String, Object> LOW_POLL_INTERVAL =
      Map.of("consumer.max.poll.interval.ms", String.valueOf(MAX_POLL_INTERVAL_MS));

  @Test
  void shouldCompleteATaskThreeTimesLongerThanMaxPollIntervalOnceWithoutRebalancing(WeftStack stack)
      throws Exception {
    // given: two workers of one group, one partition each; a long task blocks until released
    List<String> executed = new CopyOnWriteArrayList<>();
    CountDownLatch longStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TaskHandler handler =
        handler(
            "train",
            ctx -> {
              executed.add(ctx.taskId());
              if (ctx.taskId().equals("long")) {
                longStarted.countDown();
                assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
              }
              return TaskOutputs.empty().with("task", ctx.taskId());
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack);
        Worker a =
            Worker.builder(kit.workerConfig("w-a", LOW_POLL_INTERVAL))
                .handler(handler)
                .build()
                .start();
        Worker b =
            Worker.builder(kit.workerConfig("w-b", LOW_POLL_INTERVAL))
                .handler(handler)
                .build()
                .start();
        CommittedRecords<TaskReport> reports = kit.results()) {
      kit.awaitStableGroup("train", 2);
      long rebalancesBefore = a.rebalances() + b.rebalances();

      // when: the long task runs; meanwhile a short one on the other partition completes
      kit.publish(0, request("run-1", "long", 1, "train"));
      assertThat(longStarted.await(60, TimeUnit.SECONDS)).isTrue();
      long started = System.nanoTime();
      kit.publish(1, request("run-1", "short", 1, "train"));
      reports.awaitUntil(r -> results(r).size() == 1);
      assertThat(release.getCount()).isEqualTo(1); // the long task is still running
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> System.nanoTime() - started > 3 * MAX_POLL_INTERVAL_MS * 1_000_000);
      release.countDown();
      reports.awaitUntil(r -> results(r).size() == 2);

      // then
      List<TaskResult> results = results(reports.readToEnd());
      assertThat(results).extracting(TaskResult::getTaskId).containsExactly("short", "long");
      assertThat(executed).containsExactlyInAnyOrder("long", "short");
      assertThat(a.rebalances() + b.rebalances()).isEqualTo(rebalancesBefore);
      assertThat(a.executions() + b.executions()).isEqualTo(2);
      assertThat(a.executions()).isEqualTo(1); // one task on each worker
      kit.awaitCommittedOffset("train", 0, 1);
      kit.awaitCommittedOffset("train", 1, 1);
    }
  }

  @Test
  void shouldRunTasksOfTwoPartitionsAtOnceWithConcurrencyTwo(WeftStack stack) throws Exception {
    // given: each handler waits until both run at the same time
    CountDownLatch bothRunning = new CountDownLatch(2);
    TaskHandler handler =
        handler(
            "pair",
            ctx -> {
              bothRunning.countDown();
              return TaskOutputs.empty().with("together", bothRunning.await(60, TimeUnit.SECONDS));
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack);
        Worker worker =
            Worker.builder(kit.workerConfig("w-1", Map.of("worker.concurrency", 2)))
                .handler(handler)
                .build()
                .start();
        CommittedRecords<TaskReport> reports = kit.results()) {

      // when
      kit.publish(0, request("run-1", "left", 1, "pair"));
      kit.publish(1, request("run-1", "right", 1, "pair"));
      List<TaskResult> results = results(reports.awaitUntil(r -> results(r).size() == 2));

      // then
      assertThat(results)
          .allSatisfy(r -> assertThat(r.getOutputs().get("together").getJson()).isEqualTo("true"));
      assertThat(worker.rebalances()).isZero();
    }
  }
}

package io.weft.it;

import static io.weft.it.CoordinatorKit.request;
import static io.weft.it.Handlers.handler;
import static io.weft.it.Handlers.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.testkit.CommittedRecords;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run stopped by the coordinator cancels the running attempts of that run only. */
@ExtendWith(WeftStackExtension.class)
class CancellationIT {

  @Test
  void shouldSignalCancelToTheRunningHandlersOfAStoppedRunOnly(WeftStack stack) throws Exception {
    // given: two runs' tasks running at once, each waiting for its cancel signal
    Map<String, TaskContext> running = new ConcurrentHashMap<>();
    CountDownLatch bothStarted = new CountDownLatch(2);
    var handler =
        handler(
            "wait",
            ctx -> {
              running.put(ctx.runId(), ctx);
              bothStarted.countDown();
              await().atMost(Duration.ofSeconds(60)).until(ctx::isCancelled);
              return TaskOutputs.empty().with("sawCancel", ctx.isCancelled());
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack);
        Worker worker =
            Worker.builder(kit.workerConfig("w-1", Map.of("worker.concurrency", 2)))
                .handler(handler)
                .build()
                .start();
        CommittedRecords<TaskReport> reports = kit.results()) {
      kit.publish(0, request("run-1", "t", 1, "wait"));
      kit.publish(1, request("run-2", "t", 1, "wait"));
      assertThat(bothStarted.await(60, TimeUnit.SECONDS)).isTrue();

      // when: the coordinator fails run-2
      kit.publishStop("run-2", new RunFailed("t", new TaskError("x.Boom", "boom", false)));

      // then: only run-2's handler sees the signal, and finishes
      List<TaskResult> first = results(reports.awaitUntil(r -> results(r).size() == 1));
      assertThat(first).singleElement().extracting(TaskResult::getRunId).isEqualTo("run-2");
      assertThat(running.get("run-1").isCancelled()).isFalse();

      // when: the coordinator cancels run-1
      kit.publishStop("run-1", new RunCancelled("user asked"));

      // then: its handler sees it too; both results are committed
      List<TaskResult> results = results(reports.awaitUntil(r -> results(r).size() == 2));
      assertThat(results).extracting(TaskResult::getRunId).containsExactly("run-2", "run-1");
      assertThat(results)
          .allSatisfy(r -> assertThat(r.getOutputs().get("sawCancel").getJson()).isEqualTo("true"));
      assertThat(worker.executions()).isEqualTo(2);
    }
  }
}

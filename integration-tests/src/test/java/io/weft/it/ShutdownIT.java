package io.weft.it;

import static io.weft.it.CoordinatorKit.request;
import static io.weft.it.Handlers.handler;
import static io.weft.it.Handlers.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.testkit.CommittedRecords;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Closing waits for in-flight tasks; tasks that outlast the timeout are left to another worker. */
@ExtendWith(WeftStackExtension.class)
class ShutdownIT {

  @Test
  void shouldWaitForAnInFlightTaskAndCommitItsResultOnClose(WeftStack stack) throws Exception {
    // given: a task running until released
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean cancelledAtEnd = new AtomicBoolean(true);
    var handler =
        handler(
            "drain",
            ctx -> {
              started.countDown();
              assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
              cancelledAtEnd.set(ctx.isCancelled());
              return TaskOutputs.empty().with("done", true);
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack)) {
      Worker worker =
          Worker.builder(kit.workerConfig("w-1", Map.of())).handler(handler).build().start();
      kit.publish(0, request("run-1", "t", 1, "drain"));
      assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

      // when: closing while the task runs
      CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
      await().atMost(Duration.ofSeconds(30)).until(() -> worker.state() == Worker.State.CLOSING);
      boolean closedBeforeRelease = closing.isDone();
      release.countDown();
      closing.get(60, TimeUnit.SECONDS);

      // then: close waited, and the result was committed before it returned
      assertThat(closedBeforeRelease).isFalse();
      assertThat(worker.state()).isEqualTo(Worker.State.CLOSED);
      assertThat(cancelledAtEnd).isFalse();
      kit.awaitCommittedOffset("drain", 0, 1);
      try (CommittedRecords<TaskReport> reports = kit.results()) {
        assertThat(results(reports.readToEnd()))
            .singleElement()
            .extracting(TaskResult::getStatus)
            .isEqualTo(TaskOutcome.SUCCEEDED);
      }
    }
  }

  @Test
  void shouldAbandonATaskThatOutlastsTheShutdownTimeoutForAnotherWorkerToExecute(WeftStack stack)
      throws Exception {
    // given: worker A's handler runs until cancelled; worker B's completes at once
    CountDownLatch startedOnA = new CountDownLatch(1);
    List<TaskContext> onA = new CopyOnWriteArrayList<>();
    List<TaskContext> onB = new CopyOnWriteArrayList<>();
    var stubborn =
        handler(
            "stuck",
            ctx -> {
              onA.add(ctx);
              startedOnA.countDown();
              await().atMost(Duration.ofSeconds(60)).until(ctx::isCancelled);
              return TaskOutputs.empty().with("by", "a");
            });
    var quick =
        handler(
            "stuck",
            ctx -> {
              onB.add(ctx);
              return TaskOutputs.empty().with("by", "b");
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack)) {
      Worker a =
          Worker.builder(kit.workerConfig("w-a", Map.of("worker.shutdown.timeout.ms", 1000)))
              .handler(stubborn)
              .build()
              .start();
      kit.publish(0, request("run-1", "t", 1, "stuck"));
      assertThat(startedOnA.await(60, TimeUnit.SECONDS)).isTrue();

      // when: A closes with the task still running, then B joins the group
      a.close();
      try (Worker b =
              Worker.builder(kit.workerConfig("w-b", Map.of())).handler(quick).build().start();
          CommittedRecords<TaskReport> reports = kit.results()) {
        reports.awaitUntil(r -> !results(r).isEmpty());

        // then: A's attempt saw the cancel and was not committed; B executed it once
        assertThat(onA).singleElement().satisfies(ctx -> assertThat(ctx.isCancelled()).isTrue());
        assertThat(onB)
            .singleElement()
            .satisfies(ctx -> assertThat(ctx.idempotencyKey()).isEqualTo("run-1/t/1"));
        assertThat(results(reports.readToEnd()))
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.getWorkerId()).isEqualTo("w-b");
                  assertThat(r.getOutputs().get("by").getJson()).isEqualTo("\"b\"");
                });
        assertThat(a.executions()).isEqualTo(1);
        assertThat(b.executions()).isEqualTo(1);
        kit.awaitCommittedOffset("stuck", 0, 1);
      }
    }
  }
}

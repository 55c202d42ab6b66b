package io.weft.it;

import static io.weft.it.CoordinatorKit.request;
import static io.weft.it.Handlers.handler;
import static io.weft.it.Handlers.heartbeats;
import static io.weft.it.Handlers.progress;
import static io.weft.it.Handlers.results;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskProgress;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.testkit.CommittedRecords;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Heartbeats and progress reports reach the results topic while a task runs. */
@ExtendWith(WeftStackExtension.class)
class ReportsIT {

  @Test
  void shouldSendHeartbeatsAndProgressWhileATaskRunsAndTheResultAfterThem(WeftStack stack)
      throws Exception {
    // given: a handler that reports one epoch, then runs until released
    CountDownLatch release = new CountDownLatch(1);
    var handler =
        handler(
            "train",
            ctx -> {
              ctx.progress(1, 3L, Map.of("loss", 0.5), "epoch 1");
              assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
              return TaskOutputs.empty();
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack);
        Worker worker =
            Worker.builder(kit.workerConfig("w-1", Map.of("worker.heartbeat.interval.ms", 200)))
                .handler(handler)
                .build()
                .start();
        CommittedRecords<TaskReport> reports = kit.results()) {

      // when
      kit.publish(0, request("run-1", "fit", 3, "train"));
      List<ConsumerRecord<String, TaskReport>> whileRunning =
          reports.awaitUntil(r -> heartbeats(r).size() >= 3 && !progress(r).isEmpty());
      release.countDown();
      List<ConsumerRecord<String, TaskReport>> all = reports.awaitUntil(r -> !results(r).isEmpty());

      // then: heartbeats and progress came while it ran, keyed by run id
      assertThat(results(whileRunning)).isEmpty();
      assertThat(heartbeats(whileRunning))
          .allSatisfy(
              h -> {
                assertThat(h.getRunId()).isEqualTo("run-1");
                assertThat(h.getTaskId()).isEqualTo("fit");
                assertThat(h.getAttempt()).isEqualTo(3);
                assertThat(h.getWorkerId()).isEqualTo("w-1");
              });
      TaskProgress progress = progress(whileRunning).get(0);
      assertThat(progress.getStep()).isEqualTo(1);
      assertThat(progress.getTotalSteps()).isEqualTo(3L);
      assertThat(progress.getMetrics()).containsEntry("loss", 0.5);
      assertThat(progress.getMessage()).isEqualTo("epoch 1");
      assertThat(progress.getAttempt()).isEqualTo(3);
      assertThat(whileRunning).allSatisfy(r -> assertThat(r.key()).isEqualTo("run-1"));

      // and: the first report is a heartbeat, the result comes last
      assertThat(all.get(0).value().getReport()).isInstanceOf(TaskHeartbeat.class);
      assertThat(all.get(all.size() - 1).value().getReport()).isInstanceOf(TaskResult.class);
      assertThat(worker.executions()).isEqualTo(1);
    }
  }
}

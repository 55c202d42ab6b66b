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
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An unreachable registry is never blamed on a record: the worker backs off and reads it again. */
@ExtendWith(WeftStackExtension.class)
class RegistryOutageIT {

  @Test
  void shouldRetryARecordWhileTheRegistryIsUnavailableAndNeverDeadLetterIt(WeftStack stack)
      throws Exception {
    // given: a worker that reaches the registry through a proxy the test can take down
    List<String> executed = new CopyOnWriteArrayList<>();
    try (CoordinatorKit kit = new CoordinatorKit(stack);
        RegistryProxy proxy = new RegistryProxy(stack.schemaRegistryUrl());
        Worker worker =
            Worker.builder(kit.workerConfig("w-1", Map.of("schema.registry.url", proxy.url())))
                .handler(
                    handler(
                        "outage",
                        ctx -> {
                          executed.add(ctx.taskId());
                          return TaskOutputs.empty();
                        }))
                .build()
                .start();
        CommittedRecords<TaskReport> reports = kit.results()) {

      // when: a request arrives while the registry answers 503, and the worker tried repeatedly
      proxy.goDown();
      kit.publish(0, request("run-1", "t", 1, "outage"));
      await().atMost(CoordinatorKit.WAIT).until(() -> proxy.refused() >= 3);

      // then: it was neither executed nor dead-lettered meanwhile
      assertThat(executed).isEmpty();
      assertThat(worker.deadLettered()).isZero();

      // when: the registry comes back
      proxy.comeBack();
      List<TaskResult> results = results(reports.awaitUntil(r -> !results(r).isEmpty()));

      // then: the request was executed once, and the dead-letter topic is empty
      assertThat(results)
          .singleElement()
          .extracting(TaskResult::getStatus)
          .isEqualTo(TaskOutcome.SUCCEEDED);
      assertThat(executed).containsExactly("t");
      assertThat(worker.deadLettered()).isZero();
      try (CommittedRecords<byte[]> deadLetters = kit.deadLetters()) {
        assertThat(deadLetters.readToEnd()).isEmpty();
      }
      kit.awaitCommittedOffset("outage", 0, 1);
    }
  }
}

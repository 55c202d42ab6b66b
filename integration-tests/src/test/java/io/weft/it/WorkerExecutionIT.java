package io.weft.it;

import static io.weft.it.CoordinatorKit.request;
import static io.weft.it.Handlers.handler;
import static io.weft.it.Handlers.results;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.tasks.TaskTypeDeclared;
import io.weft.testkit.CommittedRecords;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.api.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A worker executes requests and commits their results with the input offsets. */
@ExtendWith(WeftStackExtension.class)
class WorkerExecutionIT {

  @Test
  void shouldExecuteARequestOnceAndCommitItsResultWithTheInputOffset(WeftStack stack)
      throws Exception {
    // given: a worker whose handler records what it sees
    List<TaskContext> seen = new CopyOnWriteArrayList<>();
    var echo =
        handler(
            "echo",
            ctx -> {
              seen.add(ctx);
              return TaskOutputs.empty()
                  .with("greeting", "hello " + ctx.param("name").textValue())
                  .with("key", ctx.idempotencyKey())
                  .withMetric("score", 0.75);
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack)) {
      try (Worker first =
              Worker.builder(kit.workerConfig("w-1", Map.of())).handler(echo).build().start();
          CommittedRecords<TaskReport> reader = kit.results()) {

        // when
        kit.publish(1, request("run-1", "greet", 2, "echo", Map.of("name", "\"Ada\""), later()));
        List<TaskResult> results =
            results(reader.awaitUntil(records -> !results(records).isEmpty()));

        // then
        assertThat(results).hasSize(1);
        TaskResult result = results.get(0);
        assertThat(result.getStatus()).isEqualTo(TaskOutcome.SUCCEEDED);
        assertThat(result.getRunId()).isEqualTo("run-1");
        assertThat(result.getTaskId()).isEqualTo("greet");
        assertThat(result.getAttempt()).isEqualTo(2);
        assertThat(result.getWorkerId()).isEqualTo("w-1");
        assertThat(result.getOutputs())
            .containsEntry("greeting", new TaskOutput("\"hello Ada\"", null))
            .containsEntry("key", new TaskOutput("\"run-1/greet/2\"", null));
        assertThat(result.getMetrics()).containsEntry("score", 0.75);
        assertThat(result.getUsage()).isNotNull();
        assertThat(result.getUsage().getWallMs()).isNotNegative();
        assertThat(result.getUsage().getCpuMs()).isNotNull().isNotNegative();
        assertThat(result.getUsage().getPeakMemoryBytes()).isNull(); // a handler in the JVM
        assertThat(seen)
            .singleElement()
            .satisfies(
                ctx -> {
                  assertThat(ctx.idempotencyKey()).isEqualTo("run-1/greet/2");
                  assertThat(ctx.attempt()).isEqualTo(2);
                });
        kit.awaitCommittedOffset("echo", 1, 1);
        assertThat(first.executions()).isEqualTo(1);
      }

      // and: the group's next worker goes on after the committed request, not before it
      try (Worker second =
              Worker.builder(kit.workerConfig("w-2", Map.of())).handler(echo).build().start();
          CommittedRecords<TaskReport> reader = kit.results()) {
        kit.publish(1, request("run-2", "greet", 1, "echo", Map.of("name", "\"Bob\""), later()));
        List<ConsumerRecord<String, TaskReport>> all =
            reader.awaitUntil(records -> results(records).size() == 2);
        assertThat(results(all)).extracting(TaskResult::getRunId).containsExactly("run-1", "run-2");
        assertThat(all).allSatisfy(r -> assertThat(r.key()).isEqualTo(Handlers.runId(r.value())));
        assertThat(seen).extracting(TaskContext::runId).containsExactly("run-1", "run-2");
        assertThat(second.executions()).isEqualTo(1);
        kit.awaitCommittedOffset("echo", 1, 2);
      }
    }
  }

  @Test
  void shouldReportHandlerExceptionsAndInvalidRequestsAsFailedResults(WeftStack stack)
      throws Exception {
    // given
    List<String> executed = new CopyOnWriteArrayList<>();
    var failing =
        handler(
            "fail",
            ctx -> {
              executed.add(ctx.taskId());
              if (ctx.taskId().equals("unexpected")) {
                throw new IllegalStateException("model not loaded");
              }
              throw new TaskFailedException("dataset has no rows", false);
            });
    try (CoordinatorKit kit = new CoordinatorKit(stack);
        Worker worker =
            Worker.builder(kit.workerConfig("w-1", Map.of())).handler(failing).build().start();
        CommittedRecords<TaskReport> reader = kit.results()) {

      // when
      kit.publish(0, request("run-1", "unexpected", 1, "fail"));
      kit.publish(0, request("run-1", "explicit", 1, "fail"));
      kit.publish(0, request("run-1", "invalid", 1, "fail", Map.of("epochs", "five"), later()));
      List<TaskResult> results =
          results(reader.awaitUntil(records -> results(records).size() == 3));

      // then
      assertThat(results).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(TaskOutcome.FAILED));
      assertThat(results.get(0).getError().getErrorClass())
          .isEqualTo("java.lang.IllegalStateException");
      assertThat(results.get(0).getError().getMessage()).isEqualTo("model not loaded");
      assertThat(results.get(0).getError().getRetryable()).isTrue();
      assertThat(results.get(1).getError().getErrorClass())
          .isEqualTo(TaskFailedException.class.getName());
      assertThat(results.get(1).getError().getMessage()).isEqualTo("dataset has no rows");
      assertThat(results.get(1).getError().getRetryable()).isFalse();
      assertThat(results.get(2).getError().getErrorClass()).isEqualTo("weft.InvalidRequest");
      assertThat(results.get(2).getError().getMessage()).contains("parameter 'epochs'");
      assertThat(results.get(2).getError().getRetryable()).isFalse();
      assertThat(executed).containsExactly("unexpected", "explicit");
      await() // counted once its transaction has committed, a moment after the record shows
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(worker.failures()).isEqualTo(3));
      kit.awaitCommittedOffset("fail", 0, 3);
    }
  }

  @Test
  void shouldSkipARequestWhoseDeadlineHasPassedAndCommitItsOffset(WeftStack stack)
      throws Exception {
    // given
    List<String> executed = new CopyOnWriteArrayList<>();
    try (CoordinatorKit kit = new CoordinatorKit(stack)) {
      var recording =
          handler(
              "slow",
              ctx -> {
                executed.add(ctx.taskId());
                return TaskOutputs.empty();
              });
      try (Worker worker =
              Worker.builder(kit.workerConfig("w-1", Map.of())).handler(recording).build().start();
          CommittedRecords<TaskReport> reader = kit.results()) {

        // when
        kit.publish(
            0, request("run-1", "late", 1, "slow", Map.of(), Instant.now().minusSeconds(1)));
        kit.publish(0, request("run-1", "timely", 1, "slow"));
        reader.awaitUntil(records -> !results(records).isEmpty());

        // then
        assertThat(results(reader.readToEnd()))
            .singleElement()
            .extracting(TaskResult::getTaskId)
            .isEqualTo("timely");
        assertThat(executed).containsExactly("timely");
        await() // counted once its transaction has committed, a moment after the record shows
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(worker.expired()).isEqualTo(1));
        kit.awaitCommittedOffset("slow", 0, 2);
      }
    }
  }

  @Test
  void shouldCreateItsTopicsAndDeclareItsTaskType(WeftStack stack) throws Exception {
    // given
    try (CoordinatorKit kit = new CoordinatorKit(stack)) {
      var handler = handler("declared", ctx -> TaskOutputs.empty());

      // when
      try (Worker worker =
          Worker.builder(kit.workerConfig("w-9", Map.of("weft.partitions", 3)))
              .handler(handler)
              .build()
              .start()) {

        // then
        TopicDescription tasks =
            kit.admin()
                .describeTopics(List.of(kit.topics().tasks("declared")))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(kit.topics().tasks("declared"));
        assertThat(tasks.partitions()).hasSize(3);
        ConfigResource typesTopic =
            new ConfigResource(ConfigResource.Type.TOPIC, kit.topics().taskTypes());
        String cleanup =
            kit.admin()
                .describeConfigs(List.of(typesTopic))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(typesTopic)
                .get("cleanup.policy")
                .value();
        assertThat(cleanup).isEqualTo("compact");
        try (CommittedRecords<TaskTypeDeclared> declarations =
            new CommittedRecords<>(
                stack.bootstrapServers(),
                kit.topics().taskTypes(),
                new AvroDeserializer<>(TaskTypeDeclared.class, kit.serde()),
                CoordinatorKit.WAIT)) {
          ConsumerRecord<String, TaskTypeDeclared> declared =
              declarations.awaitUntil(records -> !records.isEmpty()).get(0);
          assertThat(declared.key()).isEqualTo("declared");
          assertThat(declared.value().getType()).isEqualTo("declared");
          assertThat(declared.value().getWorkerId()).isEqualTo("w-9");
          assertThat(declared.value().getDescription()).isEqualTo("test handler of declared");
        }
        assertThat(worker.state()).isEqualTo(Worker.State.RUNNING);
      }
    }
  }

  private static Instant later() {
    return Instant.now().plusSeconds(300);
  }
}

package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WeftTopics;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.events.RunFailed;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run the coordinator cannot carry on fails alone; the runs after it on its partition go on. */
@ExtendWith(WeftStackExtension.class)
class BadRunsIT {

  @Test
  void shouldFailAForEachWhoseChildrensParamsCannotResolveAndRunTheNextRunOfItsPartition(
      WeftStack stack) {
    // given: one partition for every topic, so that both runs share the coordinator's
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "bad-runs")
            .withSharedSettings(Map.of("weft.partitions", "1"))
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      weft.startWorker(Map.of("worker.concurrency", "2"), "step");
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("tune", 1)
              .param("grid", List.of(1, 2))
              .task(
                  TaskDefinition.builder("train", "step")
                      .forEach("${params.grid}")
                      .param("model", "${item.lr}"))
              .build());
      client.register(
          WorkflowDefinition.builder("plain", 1).task(TaskDefinition.builder("a", "step")).build());

      // when: the run whose elements have no field lr, then a plain run
      String bad = client.startRun("tune", Map.of());
      String plain = client.startRun("plain", Map.of());

      // then: the bad run failed within 5 s naming the reference and the element; the next ran
      RunView failed = client.awaitCompletion(bad, Duration.ofSeconds(5));
      assertThat(failed.status()).isEqualTo(RunView.Status.FAILED);
      RunFailed why =
          weft.eventLog().runLog(bad).stream()
              .map(e -> e.getEvent())
              .filter(RunFailed.class::isInstance)
              .map(RunFailed.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(why.getError().getErrorClass()).isEqualTo("weft.ParameterError");
      assertThat(why.getError().getMessage()).contains("${item.lr}", "train[0]");
      assertThat(client.awaitCompletion(plain, Duration.ofSeconds(10)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
  }

  @Test
  void shouldFailTheAttemptOfARequestAWorkerSetsAsideWithinSecondsAndRunTheNextRun(WeftStack stack)
      throws Exception {
    // given: a run's request, dispatched while no worker of its type runs, replaced on the task
    // topic by an unreadable record with the same key and headers (run, task, attempt)
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "bad-request")
            .withSharedSettings(Map.of("weft.partitions", "1"))
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      WeftClient client = weft.client();
      Worker first = weft.startWorker(Map.of(), "step"); // registration needs one
      client.register(
          WorkflowDefinition.builder("plain", 1).task(TaskDefinition.builder("a", "step")).build());
      first.close();
      String doomed = client.startRun("plain", Map.of());
      String topic = weft.topics().tasks("step");
      ConsumerRecord<byte[], byte[]> request = firstRecord(weft, topic);
      try (Admin admin = Admin.create(weft.connection());
          KafkaProducer<byte[], byte[]> producer =
              new KafkaProducer<>(
                  weft.connection(), new ByteArraySerializer(), new ByteArraySerializer())) {
        TopicPartition partition = new TopicPartition(topic, request.partition());
        admin
            .deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(request.offset() + 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    request.partition(),
                    request.key(),
                    "not avro".getBytes(StandardCharsets.UTF_8),
                    request.headers()))
            .get(30, TimeUnit.SECONDS);
      }

      // when: a worker comes
      Worker worker = weft.startWorker(Map.of(), "step");

      // then: it set the record aside and failed the attempt; the run failed within 5 s, and a
      // run after it on the same partition succeeds
      RunView failed = client.awaitCompletion(doomed, Duration.ofSeconds(5));
      assertThat(failed.status()).isEqualTo(RunView.Status.FAILED);
      RunFailed why = firstFailure(weft, doomed);
      assertThat(why.getError().getErrorClass()).isEqualTo("weft.InvalidRequest");
      assertThat(why.getError().getMessage()).contains("could not read the request");
      assertThat(worker.deadLettered()).isEqualTo(1);
      String next = client.startRun("plain", Map.of());
      assertThat(client.awaitCompletion(next, Duration.ofSeconds(10)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
  }

  @Test
  void shouldFailAnAttemptNoWorkerStartedWithinItsQueueTimeoutWithinSecondsAndSkipItLater(
      WeftStack stack) {
    // given: a task that may wait 1 s for a worker, and no worker of its type running
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "expired-request")
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      WeftClient client = weft.client();
      Worker first = weft.startWorker(Map.of(), "step"); // registration needs one
      client.register(
          WorkflowDefinition.builder("waits", 1)
              .task(TaskDefinition.builder("a", "step").queueTimeout(Duration.ofSeconds(1)))
              .build());
      first.close();

      // when
      String runId = client.startRun("waits", Map.of());

      // then: the run failed at the queue timeout, within seconds, not at the task's timeout
      RunView ended = client.awaitCompletion(runId, Duration.ofSeconds(5));
      assertThat(ended.status()).isEqualTo(RunView.Status.FAILED);
      assertThat(firstFailure(weft, runId).getError().getErrorClass())
          .isEqualTo("weft.TaskTimedOut");
      // and a worker that comes later skips the expired request instead of running it
      Worker late = weft.startWorker(Map.of(), "step");
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> late.expired() == 1);
      assertThat(late.executions()).isZero();
    }
  }

  @Test
  void shouldRunAStartCommandSentToAnotherPartitionThanItsRuns(WeftStack stack) throws Exception {
    // given: three partitions, and a start command written to one its run id does not hash to
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "misplaced")
            .withSharedSettings(Map.of("weft.partitions", "3"))
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      weft.startWorker(Map.of(), "step");
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("plain", 1).task(TaskDefinition.builder("a", "step")).build());
      String runId = "misplaced-run-1";
      int own = Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % 3;
      StartRun start = new StartRun(runId, null, "plain", null, Map.of(), Instant.now());
      try (KafkaProducer<String, RunCommand> producer =
          new KafkaProducer<>(
              weft.connection(),
              new StringSerializer(),
              WeftTopics.COMMANDS.serializer(weft.connection()))) {

        // when
        producer
            .send(
                new ProducerRecord<>(
                    weft.topics().commands(), (own + 1) % 3, runId, new RunCommand(start)))
            .get(30, TimeUnit.SECONDS);
      }

      // then: the coordinator sent it on to the run's partition, where the run ran
      assertThat(client.awaitCompletion(runId, Duration.ofSeconds(10)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
      assertThat(weft.coordinator().stats().rerouted()).isEqualTo(1);
    }
  }

  @Test
  void shouldFailAFanInOf5000ChildrenWithArtifactOutputsCleanlyAndRunTheNextRun(WeftStack stack) {
    // given: one partition; 5,000 children that each output an artifact, then a task that takes
    // their outputs: more than a record may hold
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "wide-fan-in")
            .withSharedSettings(Map.of("weft.partitions", "1"))
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      weft.startWorker(Map.of("worker.concurrency", "8"), "artifact", "step");
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("wide", 1)
              .param("grid", IntStream.range(0, 5_000).boxed().toList())
              .task(TaskDefinition.builder("each", "artifact").forEach("${params.grid}"))
              .task(TaskDefinition.builder("pick", "step").dependsOn("each"))
              .build());
      client.register(
          WorkflowDefinition.builder("plain", 1).task(TaskDefinition.builder("a", "step")).build());

      // when
      String wide = client.startRun("wide", Map.of());
      RunView ended = client.awaitCompletion(wide, Duration.ofMinutes(3));

      // then: every child ran, the run failed naming the limit, the partition goes on
      assertThat(ended.status()).isEqualTo(RunView.Status.FAILED);
      assertThat(ended.tasks()).hasSizeGreaterThanOrEqualTo(5_000);
      RunFailed why = firstFailure(weft, wide);
      assertThat(why.getError().getErrorClass()).isEqualTo("weft.TooLarge");
      assertThat(why.getError().getMessage()).contains("over the limit of 1000000");
      String next = client.startRun("plain", Map.of());
      assertThat(client.awaitCompletion(next, Duration.ofSeconds(10)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
    }
  }

  private static RunFailed firstFailure(WeftInstallation weft, String runId) {
    return weft.eventLog().runLog(runId).stream()
        .map(e -> e.getEvent())
        .filter(RunFailed.class::isInstance)
        .map(RunFailed.class::cast)
        .findFirst()
        .orElseThrow();
  }

  /** The first record of {@code topic} (one partition), once the coordinator has written it. */
  private static ConsumerRecord<byte[], byte[]> firstRecord(WeftInstallation weft, String topic) {
    Map<String, Object> props = weft.connection();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return !seen.isEmpty();
              });
      return seen.get(0);
    }
  }
}

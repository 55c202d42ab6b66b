package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.Coordinator;
import io.weft.core.api.InvalidDefinitionException;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.TaskView;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WeftTopics;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.events.RunEvent;
import io.weft.testkit.Changelogs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The coordinator, client and query API together on the real broker and registry. */
@ExtendWith(WeftStackExtension.class)
class CoordinatorIT {

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private Map<String, Object> settings;
  private Coordinator coordinator;
  private WeftClient client;
  private WeftTopics topics;
  private Map<String, Object> serde;
  private String bootstrap;

  @BeforeEach
  void start(WeftStack stack) {
    String prefix =
        "coord-it-"
            + PREFIXES.incrementAndGet()
            + "-"
            + java.util.UUID.randomUUID().toString().substring(0, 8)
            + ".";
    topics = new WeftTopics(prefix);
    bootstrap = stack.bootstrapServers();
    serde = Map.of("schema.registry.url", stack.schemaRegistryUrl());
    settings = new HashMap<>();
    settings.put("bootstrap.servers", bootstrap);
    settings.put("schema.registry.url", stack.schemaRegistryUrl());
    settings.put("weft.topic.prefix", prefix);
    settings.put("application.id", prefix + "coordinator");
    settings.put(
        "state.dir",
        Path.of(System.getProperty("weft.test.dir", "target/weft-test"), prefix + "state")
            .toString());
    settings.put("weft.partitions", 3);
    settings.put("commit.interval.ms", 50L);
    coordinator = Coordinator.start(settings);
    client =
        WeftClient.create(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "schema.registry.url",
                stack.schemaRegistryUrl(),
                "weft.topic.prefix",
                prefix,
                "weft.query.url",
                coordinator.queryUrl()));
  }

  @AfterEach
  void stop() {
    client.close();
    coordinator.close();
  }

  @Test
  void shouldRunADiamondJoiningBothBranchesOutputs() throws Exception {
    // given
    try (ScriptedWorker worker =
        new ScriptedWorker(
            bootstrap,
            serde,
            topics,
            "step",
            r -> Map.of("from", new TaskOutput("\"" + r.getTaskId() + "\"", null)))) {
      client.register(
          WorkflowDefinition.builder("diamond", 1)
              .task(TaskDefinition.builder("a", "step"))
              .task(TaskDefinition.builder("b", "step").dependsOn("a"))
              .task(TaskDefinition.builder("c", "step").dependsOn("a"))
              .task(
                  TaskDefinition.builder("d", "step")
                      .dependsOn("b", "c")
                      .param("joined", "${tasks.b.outputs.from}+${tasks.c.outputs.from}"))
              .build());
      List<RunEvent> events = new CopyOnWriteArrayList<>();

      // when
      String runId = client.startRun("diamond", Map.of());
      RunView run = client.awaitCompletion(runId, Duration.ofSeconds(60));

      // then
      assertThat(run.status()).isEqualTo(RunView.Status.SUCCEEDED);
      assertThat(run.tasks()).containsOnlyKeys("a", "b", "c", "d");
      assertThat(run.tasks().values())
          .extracting(TaskView::status)
          .containsOnly(TaskView.Status.SUCCEEDED);
      var d =
          worker.executed.stream().filter(r -> r.getTaskId().equals("d")).findFirst().orElseThrow();
      assertThat(d.getUpstream()).containsOnlyKeys("b", "c");
      assertThat(d.getParams()).containsEntry("joined", "\"b+c\"");
      assertThat(run.tasks().get("d").scheduledAt())
          .isAfterOrEqualTo(run.tasks().get("b").finishedAt())
          .isAfterOrEqualTo(run.tasks().get("c").finishedAt());

      // and: the run's events can be followed from the start
      try (AutoCloseable following = client.follow(runId, events::add)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= 14);
      }
      assertThat(events.get(0).getEvent().getClass().getSimpleName()).isEqualTo("RunStarted");
      assertThat(events.get(events.size() - 1).getEvent().getClass().getSimpleName())
          .isEqualTo("RunSucceeded");
    }
  }

  @Test
  void shouldRejectAnUnknownTaskTypeAndADifferentDefinitionUnderTheSameVersion() throws Exception {
    try (ScriptedWorker worker =
        new ScriptedWorker(bootstrap, serde, topics, "known", r -> Map.of())) {
      // given
      WorkflowDefinition v1 =
          WorkflowDefinition.builder("w", 1).task(TaskDefinition.builder("a", "known")).build();

      // when / then
      assertThat(client.register(v1)).isEqualTo(WeftClient.Registration.REGISTERED);
      assertThat(client.register(v1)).isEqualTo(WeftClient.Registration.UNCHANGED);
      assertThatThrownBy(
              () ->
                  client.register(
                      WorkflowDefinition.builder("w", 1)
                          .task(TaskDefinition.builder("b", "known"))
                          .build()))
          .isInstanceOf(InvalidDefinitionException.class)
          .hasMessageContaining("version 1 is already registered with different content");
      assertThatThrownBy(
              () ->
                  client.register(
                      WorkflowDefinition.builder("x", 1)
                          .task(TaskDefinition.builder("a", "unknown-type"))
                          .build()))
          .isInstanceOf(InvalidDefinitionException.class)
          .hasMessageContaining("task type 'unknown-type' is not served by any worker");
      assertThat(client.definitions()).containsOnlyKeys("w:1");
    }
  }

  @Test
  void shouldRebuildLostStateFromTheEventLogWithoutRerunningCompletedTasks() throws Exception {
    try (ScriptedWorker worker =
        new ScriptedWorker(bootstrap, serde, topics, "step", r -> Map.of())) {
      // given: 5 runs of a -> b -> c, each with a done and b in flight
      worker.hold(r -> r.getTaskId().equals("b"));
      client.register(
          WorkflowDefinition.builder("chain", 1)
              .task(TaskDefinition.builder("a", "step"))
              .task(TaskDefinition.builder("b", "step").dependsOn("a"))
              .task(TaskDefinition.builder("c", "step").dependsOn("b"))
              .build());
      List<String> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        runs.add(client.startRun("chain", Map.of()));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> worker.held() == 5);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  runs.stream()
                      .allMatch(
                          id ->
                              client
                                  .status(id)
                                  .map(r -> r.tasks().containsKey("b"))
                                  .orElse(false)));
      Map<String, RunView> before = new HashMap<>();
      runs.forEach(id -> before.put(id, client.status(id).orElseThrow()));

      // when: the coordinator's local state and changelogs are lost, and recovered from the log
      coordinator.close();
      deleteRecursively(Path.of((String) settings.get("state.dir")));
      assertThat(Changelogs.deleteAll(bootstrap, (String) settings.get("application.id")))
          .hasSize(7); // the five of the run stores, the two of the schedule stores
      io.weft.core.api.Recovery.Report report = io.weft.core.api.Recovery.rebuild(settings);
      coordinator = io.weft.core.api.Coordinator.start(settings);
      client.close();
      client =
          WeftClient.create(
              Map.of(
                  "bootstrap.servers",
                  bootstrap,
                  "schema.registry.url",
                  serde.get("schema.registry.url"),
                  "weft.topic.prefix",
                  topics.prefix(),
                  "weft.query.url",
                  coordinator.queryUrl()));

      // then: the same statuses as before the loss
      assertThat(report.runs()).isEqualTo(5);
      assertThat(report.runningRuns()).isEqualTo(5);
      for (String id : runs) {
        RunView after = client.status(id).orElseThrow();
        assertThat(after.status()).isEqualTo(before.get(id).status());
        assertThat(after.tasks()).isEqualTo(before.get(id).tasks());
      }

      // and: the runs finish, and no task ran twice
      worker.release();
      for (String id : runs) {
        assertThat(client.awaitCompletion(id, Duration.ofSeconds(60)).status())
            .isEqualTo(RunView.Status.SUCCEEDED);
      }
      assertThat(worker.executed).hasSize(15);
      assertThat(worker.executed.stream().map(r -> r.getRunId() + "/" + r.getTaskId()).distinct())
          .hasSize(15);
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (java.nio.file.Files.exists(dir)) {
      try (var paths = java.nio.file.Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(p);
        }
      }
    }
  }

  @Test
  void shouldSetPoisonCommandsAndResultsAsideAndCompleteTheGoodRunsAroundThem() throws Exception {
    try (ScriptedWorker worker =
            new ScriptedWorker(bootstrap, serde, topics, "step", r -> Map.of());
        org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> raw =
            new org.apache.kafka.clients.producer.KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      // given
      client.register(
          WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("a", "step")).build());
      String before = client.startRun("one", Map.of());
      byte[] garbage = "{\"runId\": \"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] unknownId =
          java.nio.ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(7).array();

      // when
      for (String topic : List.of(topics.commands(), topics.results())) {
        raw.send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    topic, "poison-run", garbage))
            .get();
        raw.send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    topic, "poison-run", unknownId))
            .get();
      }
      String after = client.startRun("one", Map.of());

      // then: both good runs complete
      assertThat(client.awaitCompletion(before, Duration.ofSeconds(60)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);
      assertThat(client.awaitCompletion(after, Duration.ofSeconds(60)).status())
          .isEqualTo(RunView.Status.SUCCEEDED);

      // and: the four poison records are on the dead-letter topic, each saying where it came from
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> dead =
          new CopyOnWriteArrayList<>();
      try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
          new org.apache.kafka.clients.consumer.KafkaConsumer<>(
              Map.of(
                  "bootstrap.servers",
                  bootstrap,
                  "group.id",
                  "dlq-reader-" + topics.prefix(),
                  "auto.offset.reset",
                  "earliest"),
              new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
              new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        consumer.subscribe(List.of(topics.deadLetters()));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                  return dead.size() >= 4;
                });
      }
      assertThat(dead).hasSize(4);
      assertThat(dead)
          .extracting(r -> header(r, io.weft.core.api.DeadLetterHeaders.TOPIC))
          .containsExactlyInAnyOrder(
              topics.commands(), topics.commands(), topics.results(), topics.results());
      assertThat(dead)
          .extracting(r -> header(r, io.weft.core.api.DeadLetterHeaders.ERROR_MESSAGE))
          .anyMatch(m -> m.contains("BAD_MAGIC_BYTE"))
          .anyMatch(m -> m.contains("schema id 987654"));
      assertThat(dead)
          .allMatch(r -> header(r, io.weft.core.api.DeadLetterHeaders.OFFSET).matches("\\d+"));
      assertThat(coordinator.stats().deadLettered()).isEqualTo(4);
    }
  }

  private static String header(
      org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(
        record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void shouldReportAStartOfAnUnregisteredWorkflowAsFailed() {
    // when
    String runId = client.startRun("nobody-registered-this", Map.of());

    // then
    RunView run = client.awaitCompletion(runId, Duration.ofSeconds(30));
    assertThat(run.status()).isEqualTo(RunView.Status.FAILED);
    assertThat(run.error()).contains("workflow nobody-registered-this is not registered");
    assertThat(client.status("no-such-run")).isEmpty();
  }
}

package io.weft.it;

import static io.weft.it.Handlers.handler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.Retry;
import io.weft.core.api.RunView;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.TaskView;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskFailed;
import io.weft.schemas.events.TaskStarted;
import io.weft.schemas.results.TaskHeartbeat;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.tasks.TaskTypeDeclared;
import io.weft.testkit.WeftInstallation;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker protocol (docs/worker-protocol.md) held by a worker written in JavaScript: the Node.js
 * worker of {@code examples/node-worker}, with kafkajs and Confluent's schema registry client,
 * serves {@code word-count} beside Java workers, and runs end to end with Weft's coordinator.
 * Skipped where {@code node} or {@code npm} is missing; fails if npm cannot install its packages.
 */
@ExtendWith(WeftStackExtension.class)
class NodeWorkerIT {

  private static final String NODE_WORKER_ID = "node-1";
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private static WeftInstallation weft;
  private static NodeWorker node;

  @BeforeAll
  static void startNodeWorker(WeftStack stack) throws Exception {
    if (!NodeWorker.toolsAvailable()) {
      return; // the tests that need it are skipped
    }
    Path dir = NodeWorker.install();
    weft = WeftInstallation.forTests(stack, "node").startCoordinator();
    weft.startWorker(Map.of(), composeHandler(), summarizeHandler());
    node =
        NodeWorker.start(
            dir,
            Map.of(
                "WEFT_BOOTSTRAP_SERVERS",
                weft.bootstrapServers(),
                "WEFT_SCHEMA_REGISTRY_URL",
                weft.schemaRegistryUrl(),
                "WEFT_TOPIC_PREFIX",
                weft.topics().prefix(),
                "WEFT_WORKER_ID",
                NODE_WORKER_ID,
                "WEFT_HEARTBEAT_INTERVAL_MS",
                "300",
                "WEFT_PARTITIONS",
                "6"),
            weft.dir().resolve("node-worker.log"));
  }

  @AfterAll
  static void stopNodeWorker() throws Exception {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      if (weft != null) {
        weft.close();
      }
    }
  }

  /** Java's {@code compose}: its text param twice, as output {@code text}. */
  private static TaskHandler composeHandler() {
    return handler(
        "compose",
        ctx -> {
          String text = ctx.param("text").textValue();
          return TaskOutputs.empty().with("text", text + " " + text);
        });
  }

  /** Java's {@code summarize}: a sentence from the Node.js worker's outputs. */
  private static TaskHandler summarizeHandler() {
    return handler(
        "summarize",
        ctx -> {
          int words = ctx.upstreamJson("count", "words").asInt();
          int distinct = ctx.upstreamJson("count", "distinct").asInt();
          return TaskOutputs.empty()
              .with("sentence", words + " words, " + distinct + " distinct")
              .with("paramWords", ctx.param("words").asInt());
        });
  }

  @Test
  void shouldShipTheSchemasTheEngineReads() throws Exception {
    // given
    Path schemas = NodeWorker.EXAMPLE.resolve("schemas");

    // when
    Schema report = new Schema.Parser().parse(schemas.resolve("TaskReport.avsc").toFile());
    Schema declared = new Schema.Parser().parse(schemas.resolve("TaskTypeDeclared.avsc").toFile());

    // then: the Node.js worker writes with the very schemas of Weft's generated classes
    assertThat(report.toString())
        .as(
            "examples/node-worker/schemas/TaskReport.avsc must hold TaskReport.getClassSchema()"
                + " (a schema changed: write the class's schema text into it)")
        .isEqualTo(TaskReport.getClassSchema().toString());
    assertThat(declared.toString())
        .as(
            "examples/node-worker/schemas/TaskTypeDeclared.avsc must hold"
                + " TaskTypeDeclared.getClassSchema()")
        .isEqualTo(TaskTypeDeclared.getClassSchema().toString());
  }

  @Test
  void shouldRunATaskInTheNodeWorkerBetweenJavaTasksAndPassOutputsBothWays() throws Exception {
    // given: Java's compose -> Node's word-count -> Java's summarize
    assumeTrue(node != null, "node and npm are not installed");
    WeftClient client = awaitDeclared();
    client.register(
        WorkflowDefinition.builder("words", 1)
            .param("text", "the quick brown fox jumps over the lazy dog")
            .task(TaskDefinition.builder("compose", "compose").param("text", "${params.text}"))
            .task(
                TaskDefinition.builder("count", "word-count")
                    .dependsOn("compose")
                    .param("text", "${tasks.compose.outputs.text}")
                    .param("delayMs", 1500))
            .task(
                TaskDefinition.builder("summarize", "summarize")
                    .dependsOn("count")
                    .param("words", "${tasks.count.outputs.words}"))
            .build());

    // when
    String runId = client.startRun("words", Map.of());
    RunView run = client.awaitCompletion(runId, RUN_TIMEOUT);

    // then: the Node.js worker counted what Java composed, and Java read what it counted
    assertThat(run.status()).as(run.error()).isEqualTo(RunView.Status.SUCCEEDED);
    TaskView count = run.tasks().get("count");
    assertThat(count.workerId()).isEqualTo(NODE_WORKER_ID);
    assertThat(count.outputs().get("words").asInt()).isEqualTo(18);
    assertThat(count.outputs().get("distinct").asInt()).isEqualTo(8);
    assertThat(count.outputs().get("longest").textValue()).isEqualTo("quick");
    assertThat(count.outputs().get("upstream").toString()).isEqualTo("[\"compose\"]");
    Map<String, JsonNode> summary = run.tasks().get("summarize").outputs();
    assertThat(summary.get("sentence").textValue()).isEqualTo("18 words, 8 distinct");
    assertThat(summary.get("paramWords").asInt()).isEqualTo(18);

    // and: its heartbeats marked the attempt started, with the start time they carried
    List<RunEvent> log = weft.eventLog().runLog(runId);
    assertThat(log)
        .map(RunEvent::getEvent)
        .filteredOn(TaskStarted.class::isInstance)
        .map(TaskStarted.class::cast)
        .filteredOn(started -> started.getTaskId().equals("count"))
        .singleElement()
        .satisfies(
            started -> {
              assertThat(started.getWorkerId()).isEqualTo(NODE_WORKER_ID);
              assertThat(started.getStartedAt()).isNotNull();
            });
    assertThat(weft.eventLog().read(weft.topics().results(), TaskReport.class))
        .map(TaskReport::getReport)
        .filteredOn(TaskHeartbeat.class::isInstance)
        .map(TaskHeartbeat.class::cast)
        .filteredOn(beat -> beat.getRunId().equals(runId))
        .isNotEmpty()
        .allSatisfy(beat -> assertThat(beat.getWorkerId()).isEqualTo(NODE_WORKER_ID));

    // and: the Node.js worker registered the very schema the Java worker writes with
    assertThat(subjectVersions(weft.topics().results() + "-value")).isEqualTo("[1]");

    // and: exactly one committed result, committed with the request's offset
    assertThat(weft.eventLog().resultsPerAttempt()).containsEntry(runId + "/count/1", 1L);
    awaitEveryRequestCommitted();
  }

  @Test
  void shouldFailTheRunWithTheNodeWorkersErrorWhenItFailsATaskNonRetryably() {
    // given: a task the Node.js worker fails for good, though its policy allows three attempts
    assumeTrue(node != null, "node and npm are not installed");
    WeftClient client = awaitDeclared();
    client.register(
        WorkflowDefinition.builder("too-few-words", 1)
            .task(
                TaskDefinition.builder("count", "word-count")
                    .param("text", "just three words")
                    .param("minWords", 10)
                    .retry(Retry.attempts(3)))
            .build());

    // when
    String runId = client.startRun("too-few-words", Map.of());
    RunView run = client.awaitCompletion(runId, RUN_TIMEOUT);

    // then
    assertThat(run.status()).isEqualTo(RunView.Status.FAILED);
    assertThat(run.failedTaskId()).isEqualTo("count");
    assertThat(run.error()).contains("the text has 3 words, fewer than minWords 10");
    assertThat(run.tasks().get("count").attempt()).isEqualTo(1);
    assertThat(weft.eventLog().runLog(runId))
        .map(RunEvent::getEvent)
        .filteredOn(TaskFailed.class::isInstance)
        .map(TaskFailed.class::cast)
        .singleElement()
        .satisfies(
            failed -> {
              assertThat(failed.getError().getErrorClass()).isEqualTo("word-count.TooFewWords");
              assertThat(failed.getError().getRetryable()).isFalse();
              assertThat(failed.getWorkerId()).isEqualTo(NODE_WORKER_ID);
              assertThat(failed.getLastAttempt()).isTrue();
            });
    awaitEveryRequestCommitted();
  }

  /** The versions of {@code subject} in the schema registry, as the registry lists them. */
  private static String subjectVersions(String subject) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(weft.schemaRegistryUrl() + "/subjects/" + subject + "/versions"))
            .timeout(Duration.ofSeconds(10))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString())
        .body()
        .replace(" ", "");
  }

  /** A client, once the Node.js worker's declaration of its type is visible. */
  private static WeftClient awaitDeclared() {
    WeftClient client = weft.client();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.taskTypes().contains("word-count"));
    return client;
  }

  /**
   * The Node.js worker's group has committed the offset after every request on its topic: from its
   * committed offsets, nothing is left to read (transaction markers take offsets of their own, so
   * offsets are not compared with record counts).
   */
  private static void awaitEveryRequestCommitted() {
    await().atMost(Duration.ofSeconds(30)).until(() -> requestsAfterCommittedOffsets() == 0);
  }

  private static long requestsAfterCommittedOffsets() {
    String topic = weft.topics().tasks("word-count");
    Map<String, Object> settings =
        Map.of(
            "bootstrap.servers",
            weft.bootstrapServers(),
            "group.id",
            weft.topics().workerGroup("word-count"), // assigned: never joins it
            "isolation.level",
            "read_committed",
            "enable.auto.commit",
            false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(new HashSet<>(partitions));
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = committed.get(partition);
        consumer.seek(partition, offset == null ? 0 : offset.offset());
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long left = 0;
      for (int polls = 0;
          polls < 50 && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p));
          polls++) {
        left += consumer.poll(Duration.ofMillis(100)).count();
      }
      return left;
    }
  }
}

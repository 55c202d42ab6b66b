package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.core.api.WeftTopics;
import io.weft.embedded.WeftStack;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.testkit.CommittedRecords;
import io.weft.testkit.ConsumerGroups;
import io.weft.testkit.WeftInstallation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Test kit that plays the coordinator against the real broker: publishes task requests and run
 * events, reads what workers commit. Each kit has its own topic prefix, so tests sharing the broker
 * do not see each other.
 */
final class CoordinatorKit implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  private final WeftStack stack;
  private final WeftInstallation installation;
  private final WeftTopics topics;
  private final Map<String, Object> serde;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;

  CoordinatorKit(WeftStack stack) {
    GeneratedClasses.trust();
    this.stack = stack;
    this.installation = WeftInstallation.forTests(stack, "it");
    this.topics = installation.topics();
    this.serde = Map.of("schema.registry.url", stack.schemaRegistryUrl());
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
  }

  WeftTopics topics() {
    return topics;
  }

  Map<String, Object> serde() {
    return serde;
  }

  /** A worker config for this kit's topics; {@code extra} overrides. */
  Map<String, Object> workerConfig(String workerId, Map<String, Object> extra) {
    Map<String, Object> config = installation.workerSettings();
    config.put("worker.id", workerId);
    config.put("weft.partitions", 2);
    config.putAll(extra);
    return config;
  }

  static TaskRequest request(String runId, String taskId, int attempt, String type) {
    return request(runId, taskId, attempt, type, Map.of(), Instant.now().plusSeconds(300));
  }

  static TaskRequest request(
      String runId,
      String taskId,
      int attempt,
      String type,
      Map<String, String> params,
      Instant deadline) {
    return TaskRequest.newBuilder()
        .setRunId(runId)
        .setTaskId(taskId)
        .setAttempt(attempt)
        .setType(type)
        .setParams(params)
        .setDeadline(deadline)
        .setIdempotencyKey(runId + "/" + taskId + "/" + attempt)
        .setScheduledAt(Instant.now())
        .build();
  }

  /** Publishes a request to {@code partition} of its type's topic, keyed runId/taskId. */
  void publish(int partition, TaskRequest request) throws Exception {
    String topic = topics.tasks(request.getType());
    byte[] value = new AvroSerializer<TaskRequest>(serde, false).serialize(topic, request);
    publishRaw(topic, partition, request.getRunId() + "/" + request.getTaskId(), value);
  }

  void publishRaw(String topic, int partition, String key, byte[] value) throws Exception {
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    producer
        .send(new ProducerRecord<>(topic, partition, keyBytes, value))
        .get(30, TimeUnit.SECONDS);
  }

  /** Publishes a run event (RunCancelled, RunFailed) to the cancellations topic. */
  void publishStop(String runId, Object event) throws Exception {
    String topic = topics.cancellations();
    RunEvent runEvent = new RunEvent(runId, 7L, Instant.now(), event);
    byte[] value = new AvroSerializer<RunEvent>(serde, false).serialize(topic, runEvent);
    producer
        .send(new ProducerRecord<>(topic, runId.getBytes(StandardCharsets.UTF_8), value))
        .get(30, TimeUnit.SECONDS);
  }

  /** A read_committed reader of the results topic, from its beginning. */
  CommittedRecords<TaskReport> results() {
    return new CommittedRecords<>(
        stack.bootstrapServers(),
        topics.results(),
        new AvroDeserializer<>(TaskReport.class, serde),
        WAIT);
  }

  /** A reader of the dead-letter topic's raw records, from its beginning. */
  CommittedRecords<byte[]> deadLetters() {
    return new CommittedRecords<>(
        stack.bootstrapServers(),
        topics.deadLetters(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        WAIT);
  }

  /**
   * Waits until the type's worker group has committed {@code expected} for {@code partition}. A
   * worker commits its offset in the transaction of its result, but the broker applies that
   * transaction's markers to the results partition and to the offsets one separately, so a result
   * can be read a moment before its offset shows.
   */
  void awaitCommittedOffset(String type, int partition, long expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(committedOffset(type, partition))
                    .as("offset committed by %s for partition %d", type, partition)
                    .isEqualTo(expected));
  }

  /** The offset the type's worker group committed for {@code partition}, or -1. */
  private long committedOffset(String type, int partition) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(topics.workerGroup(type))
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    OffsetAndMetadata offset = offsets.get(new TopicPartition(topics.tasks(type), partition));
    return offset == null ? -1 : offset.offset();
  }

  /** Waits until the type's group is stable with {@code members} members, each assigned some. */
  void awaitStableGroup(String type, int members) {
    ConsumerGroups.awaitStable(admin, topics.workerGroup(type), members, WAIT);
  }

  Admin admin() {
    return admin;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}

package io.weft.it;

import io.weft.core.api.WeftTopics;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.schemas.tasks.TaskTypeDeclared;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test kit: a minimal stand-in for a worker of one task type, enough to exercise the coordinator on
 * the real broker. Each request is answered by a script (outputs, or an exception); answers to
 * chosen requests can be held back. Worker guarantees (transactions, heartbeats) are the worker
 * runtime's, tested in its own module.
 */
final class ScriptedWorker implements AutoCloseable {

  private final KafkaConsumer<String, TaskRequest> consumer;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final Thread thread;
  private final WeftTopics topics;
  private final Function<TaskRequest, Map<String, TaskOutput>> script;
  final List<TaskRequest> executed = new CopyOnWriteArrayList<>();
  private final List<TaskRequest> held = new CopyOnWriteArrayList<>();
  private volatile Predicate<TaskRequest> hold = r -> false;
  private volatile boolean released;
  private volatile boolean closed;

  ScriptedWorker(
      String bootstrap,
      Map<String, Object> serde,
      WeftTopics topics,
      String type,
      Function<TaskRequest, Map<String, TaskOutput>> script)
      throws Exception {
    this.topics = topics;
    this.script = script;
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                topics.workerGroup(type),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new AvroDeserializer<>(TaskRequest.class, serde));
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 0),
            new StringSerializer(),
            new AvroSerializer<SpecificRecord>(serde, false));
    producer
        .send(
            new ProducerRecord<>(
                topics.taskTypes(),
                type,
                new TaskTypeDeclared(type, "scripted", "scripted-worker", Instant.now())))
        .get(30, TimeUnit.SECONDS);
    thread = new Thread(() -> loop(type), "scripted-worker-" + type);
    thread.start();
  }

  private void loop(String type) {
    try {
      consumer.subscribe(List.of(topics.tasks(type)));
      while (!closed) {
        if (released && !held.isEmpty()) {
          List<TaskRequest> due = new ArrayList<>(held);
          held.clear();
          due.forEach(this::answer);
        }
        for (ConsumerRecord<String, TaskRequest> record : consumer.poll(Duration.ofMillis(100))) {
          if (!released && hold.test(record.value())) {
            held.add(record.value());
          } else {
            answer(record.value());
          }
        }
        producer.flush();
        consumer.commitSync();
      }
    } catch (WakeupException e) {
      // closing
    }
  }

  private void answer(TaskRequest request) {
    executed.add(request);
    TaskResult.Builder result =
        TaskResult.newBuilder()
            .setRunId(request.getRunId())
            .setTaskId(request.getTaskId())
            .setAttempt(request.getAttempt())
            .setWorkerId("scripted")
            .setStartedAt(Instant.now());
    try {
      result.setOutputs(script.apply(request)).setStatus(TaskOutcome.SUCCEEDED);
    } catch (RuntimeException e) {
      result
          .setStatus(TaskOutcome.FAILED)
          .setError(new TaskError(e.getClass().getName(), String.valueOf(e.getMessage()), true));
    }
    producer.send(
        new ProducerRecord<>(
            topics.results(),
            request.getRunId(),
            new TaskReport(result.setFinishedAt(Instant.now()).build())));
  }

  /** Holds back the answers to requests matching {@code requests} until {@link #release()}. */
  void hold(Predicate<TaskRequest> requests) {
    this.hold = requests;
  }

  void release() {
    released = true;
  }

  int held() {
    return held.size();
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
    producer.close();
  }
}

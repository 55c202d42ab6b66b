package io.weft.core.it;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * the real broker. Each request is answered by a script (outputs, or an exception). Worker
 * guarantees (transactions, heartbeats) are the worker runtime's, tested in its own module.
 */
final class ScriptedWorker implements AutoCloseable {

  private final KafkaConsumer<String, TaskRequest> consumer;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final Thread thread;
  private final WeftTopics topics;
  final List<TaskRequest> executed = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  ScriptedWorker(
      String bootstrap,
      Map<String, Object> serde,
      WeftTopics topics,
      String type,
      Function<TaskRequest, Map<String, TaskOutput>> script)
      throws Exception {
    this.topics = topics;
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
            new AvroSerializer<>(serde, false));
    producer
        .send(
            new ProducerRecord<>(
                topics.taskTypes(),
                type,
                new TaskTypeDeclared(type, "scripted", "scripted-worker", Instant.now())))
        .get(30, TimeUnit.SECONDS);
    thread = new Thread(() -> loop(type, script), "scripted-worker-" + type);
    thread.start();
  }

  private void loop(String type, Function<TaskRequest, Map<String, TaskOutput>> script) {
    try {
      consumer.subscribe(List.of(topics.tasks(type)));
      while (!closed) {
        for (ConsumerRecord<String, TaskRequest> record : consumer.poll(Duration.ofMillis(100))) {
          TaskRequest request = record.value();
          executed.add(request);
          Instant started = Instant.now();
          TaskResult.Builder result =
              TaskResult.newBuilder()
                  .setRunId(request.getRunId())
                  .setTaskId(request.getTaskId())
                  .setAttempt(request.getAttempt())
                  .setWorkerId("scripted")
                  .setStartedAt(started);
          try {
            result.setOutputs(script.apply(request)).setStatus(TaskOutcome.SUCCEEDED);
          } catch (RuntimeException e) {
            result
                .setStatus(TaskOutcome.FAILED)
                .setError(
                    new TaskError(e.getClass().getName(), String.valueOf(e.getMessage()), true));
          }
          producer.send(
              new ProducerRecord<>(
                  topics.results(),
                  request.getRunId(),
                  new TaskReport(result.setFinishedAt(Instant.now()).build())));
        }
        producer.flush();
        consumer.commitSync();
      }
    } catch (WakeupException e) {
      // closing
    }
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

package io.weft.benchmarks;

import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.commands.StartRun;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Starts runs without waiting for each write: publishes {@code StartRun} commands as any Kafka
 * producer may (the wire contract), with the client's producer settings (acks=all, idempotence).
 */
final class RunStarter implements AutoCloseable {

  private final KafkaProducer<String, SpecificRecord> producer;
  private final String topic;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  RunStarter(WeftInstallation installation) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, installation.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer =
        new KafkaProducer<>(
            props,
            new StringSerializer(),
            new AvroSerializer<>(
                Map.of("schema.registry.url", installation.schemaRegistryUrl()), false));
    this.topic = installation.topics().commands();
  }

  /** A new run id. */
  static String newRunId() {
    return UUID.randomUUID().toString();
  }

  /** Publishes a StartRun of the latest version of {@code workflow} with the given run id. */
  void start(String runId, String workflow) {
    if (failure.get() != null) {
      throw new IllegalStateException("Starting a run failed: " + failure.get(), failure.get());
    }
    StartRun start = new StartRun(runId, null, workflow, null, Map.of(), Instant.now());
    producer.send(
        new ProducerRecord<>(topic, runId, new RunCommand(start)),
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
  }

  void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}

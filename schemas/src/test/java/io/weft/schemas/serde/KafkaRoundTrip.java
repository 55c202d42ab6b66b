package io.weft.schemas.serde;

import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test kit: writes values to a topic of the real broker and reads them back. */
final class KafkaRoundTrip {

  private final WeftStack stack;

  KafkaRoundTrip(WeftStack stack) {
    this.stack = stack;
  }

  Map<String, Object> serdeConfig() {
    return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
  }

  /** Produces every value, checking each send, in order to partition 0. */
  <T> void produce(String topic, Serializer<T> serializer, List<T> values) throws Exception {
    try (KafkaProducer<String, T> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            serializer)) {
      for (T value : values) {
        producer.send(new ProducerRecord<>(topic, 0, "key", value)).get(20, TimeUnit.SECONDS);
      }
    }
  }

  void produceRaw(String topic, List<byte[]> values) throws Exception {
    produce(topic, new ByteArraySerializer(), values);
  }

  /** Reads {@code count} values from the start of the topic's partition 0. */
  <T> List<T> consume(String topic, Deserializer<T> deserializer, int count) {
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = consumer(deserializer)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(200))) {
                  values.add(r.value());
                }
                return values.size() >= count;
              });
    }
    return values;
  }

  <T> KafkaConsumer<String, T> consumer(Deserializer<T> deserializer) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new StringDeserializer(),
        deserializer);
  }
}

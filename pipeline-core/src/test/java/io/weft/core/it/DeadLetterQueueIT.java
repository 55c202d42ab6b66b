package io.weft.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.api.DeadLetterQueue;
import io.weft.core.api.DeadLetterQueue.DeadLetter;
import io.weft.core.api.DeadLetterQueue.Replayed;
import io.weft.core.api.DeadLetters;
import io.weft.core.api.WeftTopics;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dead-letter topic listed, shown and replayed on the real broker. */
@ExtendWith(WeftStackExtension.class)
class DeadLetterQueueIT {

  private Map<String, Object> settings;
  private WeftTopics topics;
  private String bootstrap;

  @BeforeEach
  void settings(WeftStack stack) {
    String prefix = "dlq-it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    bootstrap = stack.bootstrapServers();
    settings = new HashMap<>();
    settings.put("bootstrap.servers", bootstrap);
    settings.put("schema.registry.url", stack.schemaRegistryUrl());
    settings.put("weft.topic.prefix", prefix);
    settings.put("weft.partitions", "3");
    topics = new WeftTopics(prefix);
  }

  @Test
  void shouldListShowAndReplayADeadLetterToWhereItCameFromOnce(WeftStack stack) throws Exception {
    // given: a record of partition 2 of the commands topic, set aside with its own header
    DeadLetterQueue dlq = DeadLetterQueue.create(settings);
    stack.createTopic(topics.commands(), 3);
    Headers headers =
        DeadLetters.headers(
            topics.commands(),
            2,
            17,
            new IllegalStateException("schema 9 not found"),
            "coordinator");
    headers.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
    send(new ProducerRecord<>(topics.deadLetters(), 0, bytes("run-1"), bytes("payload"), headers));

    // when
    List<DeadLetter> letters = dlq.list(10);

    // then: it is listed with where it came from and why
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.id()).isEqualTo("0:0");
    assertThat(letter.originTopic()).isEqualTo(topics.commands());
    assertThat(letter.originPartition()).hasValue(2);
    assertThat(letter.originOffset()).hasValue(17L);
    assertThat(letter.errorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(letter.errorMessage()).isEqualTo("schema 9 not found");
    assertThat(letter.component()).isEqualTo("coordinator");
    assertThat(letter.replay()).isEmpty();
    assertThat(dlq.get("0:0"))
        .hasValueSatisfying(l -> assertThat(l.value()).isEqualTo(bytes("payload")));
    assertThat(dlq.get("0:1")).isEmpty();
    assertThat(dlq.get("7:0")).isEmpty();
    assertThatThrownBy(() -> dlq.get("zero")).hasMessageContaining("partition:offset");

    // when: replayed
    Replayed replayed = dlq.replay("0:0", false);

    // then: the original key, value and headers are back on the partition they came from,
    // marked with the dead letter they were
    assertThat(replayed.topic()).isEqualTo(topics.commands());
    assertThat(replayed.partition()).isEqualTo(2);
    ConsumerRecord<byte[], byte[]> back = read(topics.commands(), 2, replayed.offset());
    assertThat(back.key()).isEqualTo(bytes("run-1"));
    assertThat(back.value()).isEqualTo(bytes("payload"));
    assertThat(header(back, "traceparent")).isEqualTo("00-abc");
    assertThat(header(back, DeadLetterQueue.REPLAYED_FROM))
        .isEqualTo(topics.deadLetters() + ":0:0");
    assertThat(back.headers().headers("weft.dlq.error.class")).isEmpty();

    // and it is marked replayed: a second replay is refused, unless forced
    assertThat(dlq.list(10).get(0).replay())
        .hasValueSatisfying(r -> assertThat(r).contains(topics.commands()));
    assertThatThrownBy(() -> dlq.replay("0:0", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replayed before");
    Replayed again = dlq.replay("0:0", true);
    assertThat(again.offset()).isGreaterThan(replayed.offset());
  }

  @Test
  void shouldRefuseToReplayWhatIsMissingOrDoesNotSayWhereItCameFrom() throws Exception {
    DeadLetterQueue dlq = DeadLetterQueue.create(settings);
    send(new ProducerRecord<>(topics.deadLetters(), 1, bytes("k"), bytes("no headers")));

    assertThatThrownBy(() -> dlq.replay("1:0", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not say where it came from");
    assertThatThrownBy(() -> dlq.replay("1:5", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no dead letter 1:5");
    assertThat(dlq.replays()).isEmpty();
  }

  private void send(ProducerRecord<byte[], byte[]> record) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(record).get();
    }
  }

  private ConsumerRecord<byte[], byte[]> read(String topic, int partition, long offset) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
      }
      assertThat(got).as("record at %s-%d@%d", topic, partition, offset).isNotEmpty();
      return got.get(0);
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

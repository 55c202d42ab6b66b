package io.weft.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.SampleEvents;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.serde.UndecodableRecordException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bytes that are not a valid record give a typed error naming where they are; reading goes on. */
@ExtendWith(WeftStackExtension.class)
class PoisonRecordIT {

  @Test
  void shouldNameTopicPartitionAndOffsetOfEveryPoisonRecordAndReadOn(WeftStack stack)
      throws Exception {
    // given: a good event, four kinds of poison, and a good event again
    String topic = "poison.events";
    stack.createTopic(topic, 1);
    KafkaRoundTrip kafka = new KafkaRoundTrip(stack);
    RunEvent good = (RunEvent) SampleEvents.runEvents().get(0);
    byte[] goodBytes =
        new AvroSerializer<RunEvent>(kafka.serdeConfig(), false).serialize(topic, good);
    byte[] json = "{\"runId\":\"run-1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] shortHeader = {0, 0, 0};
    byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
    byte[] truncatedBody = Arrays.copyOf(goodBytes, 12);
    kafka.produceRaw(
        topic, List.of(goodBytes, json, shortHeader, unknownId, truncatedBody, goodBytes));

    // when: a consumer with the Avro deserializer reads, skipping each poison record it meets
    List<RunEvent> read = new ArrayList<>();
    List<UndecodableRecordException> poison = new ArrayList<>();
    try (KafkaConsumer<String, RunEvent> consumer =
        kafka.consumer(new AvroDeserializer<>(RunEvent.class, kafka.serdeConfig()))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try {
                  for (ConsumerRecord<String, RunEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                  }
                } catch (RecordDeserializationException e) {
                  UndecodableRecordException cause = (UndecodableRecordException) e.getCause();
                  poison.add(cause.at(e.topicPartition().partition(), e.offset()));
                  consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                return read.size() == 2;
              });
    }

    // then
    assertThat(read).containsExactly(good, good);
    assertThat(poison)
        .extracting(UndecodableRecordException::reason)
        .containsExactly(
            Reason.BAD_MAGIC_BYTE, Reason.TRUNCATED, Reason.UNKNOWN_SCHEMA_ID, Reason.TRUNCATED);
    assertThat(poison).extracting(e -> e.offset().getAsLong()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(poison.get(0))
        .hasMessageContaining("topic '" + topic + "', partition 0, offset 1")
        .hasMessageContaining("0x7b");
    assertThat(poison.get(2)).hasMessageContaining("schema id 987654");
  }
}

package io.weft.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.SampleEvents;
import io.weft.schemas.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type survives the real registry and broker unchanged. */
@ExtendWith(WeftStackExtension.class)
class SerdeRoundTripIT {

  static Stream<Arguments> eventTypes() {
    return SampleEvents.byType().entrySet().stream()
        .map(e -> Arguments.of(e.getKey().getSimpleName(), e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventTypes")
  <T extends SpecificRecord> void shouldRoundTripThroughRegistryAndBroker(
      String name, Class<T> type, List<T> samples, WeftStack stack) throws Exception {
    // given
    String topic = "roundtrip." + name;
    stack.createTopic(topic, 1);
    KafkaRoundTrip kafka = new KafkaRoundTrip(stack);

    // when
    kafka.produce(topic, new AvroSerializer<T>(kafka.serdeConfig(), false), samples);

    // then: read into the class given, and into the class found by the writer schema's name
    assertThat(
            kafka.consume(topic, new AvroDeserializer<>(type, kafka.serdeConfig()), samples.size()))
        .containsExactlyElementsOf(samples);
    Map<String, Object> specific = new HashMap<>(kafka.serdeConfig());
    specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
    AvroDeserializer<Object> byName = new AvroDeserializer<>();
    byName.configure(specific, false);
    assertThat(kafka.consume(topic, byName, samples.size())).containsExactlyElementsOf(samples);

    // and: the bytes are framed with the id registered under <topic>-value
    int registeredId =
        SchemaRegistryClient.create(stack.schemaRegistryUrl())
            .lookup(topic + "-value", samples.get(0).getSchema())
            .id();
    byte[] first = kafka.consume(topic, new ByteArrayDeserializer(), 1).get(0);
    assertThat(first[0]).isEqualTo(WireFormat.MAGIC_BYTE);
    assertThat(ByteBuffer.wrap(first, 1, 4).getInt()).isEqualTo(registeredId);
  }
}

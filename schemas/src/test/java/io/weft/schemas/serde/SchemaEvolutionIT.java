package io.weft.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.registry.IncompatibleSchemaException;
import io.weft.schemas.registry.SchemaRegistryClient;
import io.weft.schemas.registry.SubjectNotFoundException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Schema evolution under the registry's BACKWARD compatibility. */
@ExtendWith(WeftStackExtension.class)
class SchemaEvolutionIT {

  private static final String V1 =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"io.weft.test\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"value\",\"type\":\"double\"}]}";
  private static final String V2 =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"io.weft.test\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"value\",\"type\":\"double\"},"
          + "{\"name\":\"unit\",\"type\":\"string\",\"default\":\"celsius\"}]}";
  private static final String INCOMPATIBLE =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"io.weft.test\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"value\",\"type\":\"double\"},"
          + "{\"name\":\"location\",\"type\":\"string\"}]}";

  private final Schema v1 = new Schema.Parser().parse(V1);
  private final Schema v2 = new Schema.Parser().parse(V2);

  @Test
  void shouldReadRecordsOfBothVersionsWithEitherReader(WeftStack stack) throws Exception {
    // given: v1 registered by writing a v1 record
    String topic = "evolution.readings";
    stack.createTopic(topic, 1);
    KafkaRoundTrip kafka = new KafkaRoundTrip(stack);
    SchemaRegistryClient registry = SchemaRegistryClient.create(stack.schemaRegistryUrl());
    GenericRecord written1 = reading(v1, "r1", 21.5, null);
    kafka.produce(
        topic, new AvroSerializer<GenericRecord>(kafka.serdeConfig(), false), List.of(written1));

    // when: v2 adds a defaulted field
    boolean compatible = registry.isCompatible(topic + "-value", v2);
    GenericRecord written2 = reading(v2, "r2", 70.7, "fahrenheit");
    kafka.produce(
        topic, new AvroSerializer<GenericRecord>(kafka.serdeConfig(), false), List.of(written2));

    // then: v2 registered as the subject's second version
    assertThat(compatible).isTrue();
    assertThat(registry.versions(topic + "-value")).containsExactly(1, 2);
    assertThat(registry.latest(topic + "-value").schema()).isEqualTo(v2);

    // and: a v1 reader reads both, without the new field
    List<GenericRecord> asV1 =
        kafka.consume(topic, new AvroDeserializer<GenericRecord>(v1, kafka.serdeConfig()), 2);
    assertThat(asV1).extracting(r -> r.get("id").toString()).containsExactly("r1", "r2");
    assertThat(asV1).extracting(r -> r.get("value")).containsExactly(21.5, 70.7);
    assertThat(asV1).allMatch(r -> !r.hasField("unit"));

    // and: a v2 reader reads both, the v1 record with the field's default
    List<GenericRecord> asV2 =
        kafka.consume(topic, new AvroDeserializer<GenericRecord>(v2, kafka.serdeConfig()), 2);
    assertThat(asV2)
        .extracting(r -> r.get("unit").toString())
        .containsExactly("celsius", "fahrenheit");
    assertThat(asV2).extracting(r -> r.get("id").toString()).containsExactly("r1", "r2");
  }

  @Test
  void shouldRejectAnIncompatibleChangeWithTheRegistrys409(WeftStack stack) throws Exception {
    // given
    String topic = "evolution.incompatible";
    String subject = topic + "-value";
    SchemaRegistryClient registry = SchemaRegistryClient.create(stack.schemaRegistryUrl());
    registry.register(subject, v1);
    Schema incompatible = new Schema.Parser().parse(INCOMPATIBLE);

    // when / then: the compatibility check says no
    assertThat(registry.isCompatible(subject, incompatible)).isFalse();

    // and: registering fails with a typed error carrying the 409
    assertThatThrownBy(() -> registry.register(subject, incompatible))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("POST /subjects/" + topic + "-value/versions")
        .hasMessageContaining("409")
        .satisfies(e -> assertThat(((IncompatibleSchemaException) e).status()).isEqualTo(409));

    // and: a producer's serializer surfaces the same error, naming the topic
    AvroSerializer<GenericRecord> serializer =
        new AvroSerializer<>(new KafkaRoundTrip(stack).serdeConfig(), false);
    GenericRecord record = new GenericData.Record(incompatible);
    record.put("id", "r3");
    record.put("value", 1.0);
    record.put("location", "lab");
    assertThatThrownBy(() -> serializer.serialize(topic, record))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + topic + "'")
        .hasMessageContaining("409")
        .hasCauseInstanceOf(IncompatibleSchemaException.class);
    assertThat(registry.versions(subject)).containsExactly(1);
  }

  @Test
  void shouldWriteWithTheSubjectsLatestSchemaWhenAsked(WeftStack stack) throws Exception {
    // given: v2 is the subject's latest version
    String topic = "evolution.latest";
    SchemaRegistryClient registry = SchemaRegistryClient.create(stack.schemaRegistryUrl());
    registry.register(topic + "-value", v1);
    int v2Id = registry.register(topic + "-value", v2);
    Map<String, Object> config = new HashMap<>(new KafkaRoundTrip(stack).serdeConfig());
    config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);
    config.put(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true);

    // when: a v1 record is serialized
    byte[] bytes =
        new AvroSerializer<GenericRecord>(config, false)
            .serialize(topic, reading(v1, "r1", 1.5, null));

    // then: it is written with v2, the new field taking its default
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v2Id);
    GenericRecord read = new AvroDeserializer<GenericRecord>(v2, config).deserialize(topic, bytes);
    assertThat(read.get("unit").toString()).isEqualTo("celsius");
    assertThat(read.get("value")).isEqualTo(1.5);
  }

  @Test
  void shouldRefuseToWriteAnUnregisteredSchemaWhenAutoRegisterIsOff(WeftStack stack) {
    // given
    Map<String, Object> config = new HashMap<>(new KafkaRoundTrip(stack).serdeConfig());
    config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(config, false);

    // when / then
    assertThatThrownBy(
            () -> serializer.serialize("evolution.unregistered", reading(v1, "r1", 1.0, null)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'evolution.unregistered'")
        .hasCauseInstanceOf(SubjectNotFoundException.class);
  }

  private static GenericRecord reading(Schema schema, String id, double value, String unit) {
    GenericRecord record = new GenericData.Record(schema);
    record.put("id", id);
    record.put("value", value);
    if (unit != null) {
      record.put("unit", unit);
    }
    return record;
  }
}

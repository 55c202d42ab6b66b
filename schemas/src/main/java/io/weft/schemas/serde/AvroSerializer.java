package io.weft.schemas.serde;

import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.registry.SchemaMetadata;
import io.weft.schemas.registry.SchemaRegistryClient;
import io.weft.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records ({@code SpecificRecord} or {@code GenericRecord}) in the Confluent wire
 * format, registering or looking up the schema under {@code <topic>-value} (or {@code -key}).
 *
 * <p>Configured with {@link AvroSerdeConfig}'s settings, either by Kafka (class name in the
 * producer's config) or through {@link #AvroSerializer(Map, boolean)}.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

  private SchemaRegistryClient registry;
  private boolean isKey;
  private boolean autoRegister;
  private boolean useLatestVersion;
  private final Map<String, SchemaMetadata> latestBySubject = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  /** For Kafka, which calls {@link #configure(Map, boolean)}. */
  public AvroSerializer() {}

  /** A serializer configured with {@link AvroSerdeConfig}'s settings. */
  public AvroSerializer(Map<String, ?> configs, boolean isKey) {
    configure(configs, isKey);
  }

  /** A serializer sharing a registry client (and its caches) with other serdes. */
  public AvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
    configure(new AvroSerdeConfig(configs), isKey);
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = new AvroSerdeConfig(configs);
    configure(config, isKey);
    this.registry = config.registryClient();
  }

  private void configure(AvroSerdeConfig config, boolean isKey) {
    GeneratedClasses.trust();
    this.isKey = isKey;
    this.autoRegister = config.autoRegisterSchemas();
    this.useLatestVersion = config.useLatestVersion();
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    String subject = WireFormat.subject(topic, isKey);
    Schema schema = data.getSchema();
    try {
      if (autoRegister) {
        return frame(registry.register(subject, schema), schema, data);
      }
      if (useLatestVersion) {
        SchemaMetadata latest = latestBySubject.computeIfAbsent(subject, registry::latest);
        Object value = latest.schema().equals(schema) ? data : resolve(data, latest.schema());
        return frame(latest.id(), latest.schema(), value);
      }
      return frame(registry.lookup(subject, schema).id(), schema, data);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot serialize "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private byte[] frame(int schemaId, Schema schema, Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(WireFormat.MAGIC_BYTE);
    out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    // buffered: the stream's synchronized writes take blocks, not single bytes
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot encode a " + schema.getFullName() + " with schema id " + schemaId + ": " + e, e);
    }
    return out.toByteArray();
  }

  /**
   * Re-reads {@code data} with {@code target} as the reader schema, so it can be written with it.
   */
  private static Object resolve(GenericContainer data, Schema target) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<>(data.getSchema()).write(data, encoder);
      encoder.flush();
      return new GenericDatumReader<>(data.getSchema(), target)
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot write a "
              + data.getSchema().getFullName()
              + " with the subject's latest schema: "
              + e,
          e);
    }
  }

  /** The registry client, shared so that other serdes can use its caches. */
  public SchemaRegistryClient registry() {
    return registry;
  }
}

package io.weft.schemas.serde;

import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.registry.SchemaNotFoundException;
import io.weft.schemas.registry.SchemaRegistryClient;
import io.weft.schemas.registry.SchemaRegistryException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro records in the Confluent wire format, resolving the writer's schema (fetched by the id
 * in the record) to the reader's: a generated class, a given schema, or the writer's own.
 *
 * <p>A null value (a tombstone) reads as null. Bytes that are not a valid record raise {@link
 * UndecodableRecordException}, never a silent null; a registry that cannot be reached raises the
 * registry's own (transient) exception, so that good records are not mistaken for poison.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

  private final Schema fixedReaderSchema;
  private SchemaRegistryClient registry;
  private boolean specificReader;
  private final Map<Long, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  /**
   * For Kafka, which calls {@link #configure(Map, boolean)}; reads per {@code
   * specific.avro.reader}.
   */
  public AvroDeserializer() {
    this.fixedReaderSchema = null;
  }

  /** Reads every record into the generated class {@code type}. */
  public AvroDeserializer(Class<T> type, Map<String, ?> configs) {
    this(SpecificData.get().getSchema(type), configs);
    this.specificReader = true;
  }

  /** Reads every record into the generated class {@code type}, sharing a registry client. */
  public AvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
    this.fixedReaderSchema = SpecificData.get().getSchema(type);
    this.registry = registry;
    this.specificReader = true;
    GeneratedClasses.trust();
  }

  /**
   * Reads every record as a {@code GenericRecord} of {@code readerSchema}, resolving from the
   * writer's schema.
   */
  public AvroDeserializer(Schema readerSchema, Map<String, ?> configs) {
    this.fixedReaderSchema = readerSchema;
    configure(configs, false);
    this.specificReader = false;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = new AvroSerdeConfig(configs);
    this.registry = config.registryClient();
    this.specificReader = config.specificAvroReader();
    GeneratedClasses.trust();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return deserialize(topic, null, data);
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    if (data.length < WireFormat.HEADER_SIZE) {
      throw new UndecodableRecordException(
          topic,
          UndecodableRecordException.Reason.TRUNCATED,
          data.length + " bytes, fewer than the wire format's 5-byte header",
          null);
    }
    if (data[0] != WireFormat.MAGIC_BYTE) {
      throw new UndecodableRecordException(
          topic,
          UndecodableRecordException.Reason.BAD_MAGIC_BYTE,
          String.format("first byte is 0x%02x, expected 0x00 (Confluent wire format)", data[0]),
          null);
    }
    int schemaId = ByteBuffer.wrap(data, 1, 4).getInt();
    Schema writer;
    try {
      writer = registry.schemaById(schemaId);
    } catch (SchemaRegistryException e) {
      if (!(e instanceof SchemaNotFoundException) && e.status() != 404) {
        throw e; // the registry is unreachable or failing: not the record's fault
      }
      throw new UndecodableRecordException(
          topic,
          UndecodableRecordException.Reason.UNKNOWN_SCHEMA_ID,
          "schema id " + schemaId + " is not known to the schema registry",
          e);
    }
    DatumReader<Object> reader = reader(topic, schemaId, writer);
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
    try {
      @SuppressWarnings("unchecked")
      T value = (T) reader.read(null, decoder);
      return value;
    } catch (EOFException e) {
      throw new UndecodableRecordException(
          topic,
          UndecodableRecordException.Reason.TRUNCATED,
          "the Avro data ends early for " + writer.getFullName() + " (schema id " + schemaId + ")",
          e);
    } catch (AvroTypeException e) {
      throw new UndecodableRecordException(
          topic,
          UndecodableRecordException.Reason.INCOMPATIBLE_SCHEMA,
          "cannot read "
              + writer.getFullName()
              + " (schema id "
              + schemaId
              + "): "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new UndecodableRecordException(
          topic,
          UndecodableRecordException.Reason.MALFORMED,
          "malformed Avro data for " + writer.getFullName() + " (schema id " + schemaId + "): " + e,
          e);
    }
  }

  private DatumReader<Object> reader(String topic, int schemaId, Schema writer) {
    Schema readerSchema = readerSchema(topic, writer);
    long key = ((long) schemaId << 32) | (readerSchema.hashCode() & 0xffffffffL);
    return readers.computeIfAbsent(
        key,
        k ->
            specificReader
                ? new SpecificDatumReader<>(writer, readerSchema)
                : new GenericDatumReader<>(writer, readerSchema));
  }

  private Schema readerSchema(String topic, Schema writer) {
    if (fixedReaderSchema != null) {
      return fixedReaderSchema;
    }
    if (!specificReader) {
      return writer;
    }
    Class<?> type = SpecificData.get().getClass(writer);
    if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
      throw new UndecodableRecordException(
          topic,
          UndecodableRecordException.Reason.UNKNOWN_TYPE,
          "no generated class on the classpath for " + writer.getFullName(),
          null);
    }
    return SpecificData.get().getSchema(type);
  }
}

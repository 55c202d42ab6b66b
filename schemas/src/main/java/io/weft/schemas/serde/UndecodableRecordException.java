package io.weft.schemas.serde;

import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes cannot be decoded: not the Confluent wire format, an unknown schema id, or Avro
 * data that does not match its schema. The message names the topic, and the partition and offset
 * once they are known ({@link #at(int, long)}). It is a Kafka {@link SerializationException}, so
 * consumers and Kafka Streams handle it as a poison record.
 */
public class UndecodableRecordException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the bytes. */
  public enum Reason {
    /** The first byte is not the wire format's magic byte 0. */
    BAD_MAGIC_BYTE,
    /** Fewer bytes than the wire format's header or than the Avro data needs. */
    TRUNCATED,
    /** The schema id in the header is not known to the registry. */
    UNKNOWN_SCHEMA_ID,
    /** The Avro data is malformed for its writer schema. */
    MALFORMED,
    /** The writer's schema cannot be resolved to the reader's. */
    INCOMPATIBLE_SCHEMA,
    /** No generated class exists for the writer schema's record name. */
    UNKNOWN_TYPE
  }

  private final String topic;
  private final Reason reason;
  private final String detail;
  private final OptionalInt partition;
  private final OptionalLong offset;

  public UndecodableRecordException(String topic, Reason reason, String detail, Throwable cause) {
    this(topic, reason, detail, OptionalInt.empty(), OptionalLong.empty(), cause);
  }

  private UndecodableRecordException(
      String topic,
      Reason reason,
      String detail,
      OptionalInt partition,
      OptionalLong offset,
      Throwable cause) {
    super(message(topic, reason, detail, partition, offset), cause);
    this.topic = topic;
    this.reason = reason;
    this.detail = detail;
    this.partition = partition;
    this.offset = offset;
  }

  /** The same error, located at a partition and offset of its topic. */
  public UndecodableRecordException at(int partition, long offset) {
    return new UndecodableRecordException(
        topic, reason, detail, OptionalInt.of(partition), OptionalLong.of(offset), getCause());
  }

  public String topic() {
    return topic;
  }

  public Reason reason() {
    return reason;
  }

  public OptionalInt partition() {
    return partition;
  }

  public OptionalLong offset() {
    return offset;
  }

  private static String message(
      String topic, Reason reason, String detail, OptionalInt partition, OptionalLong offset) {
    StringBuilder where = new StringBuilder("topic '").append(topic).append('\'');
    partition.ifPresent(p -> where.append(", partition ").append(p));
    offset.ifPresent(o -> where.append(", offset ").append(o));
    return "Cannot decode record from " + where + " (" + reason + "): " + detail;
  }
}

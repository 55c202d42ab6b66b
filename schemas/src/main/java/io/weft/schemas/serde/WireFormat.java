package io.weft.schemas.serde;

/**
 * The Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), then
 * the Avro binary encoding of the value.
 */
public final class WireFormat {

  /** The first byte of every framed record. */
  public static final byte MAGIC_BYTE = 0;

  /** Bytes before the Avro data: the magic byte and the schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The subject a topic's keys or values are registered under (TopicNameStrategy). */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}

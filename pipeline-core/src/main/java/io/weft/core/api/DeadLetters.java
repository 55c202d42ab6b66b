package io.weft.core.api;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds dead-letter records: the original key and value, with headers saying where and why. */
public final class DeadLetters {

  private DeadLetters() {}

  /** Headers naming the record's origin and the error that set it aside. */
  public static Headers headers(
      String topic, int partition, long offset, Throwable error, String component) {
    Headers headers = new RecordHeaders();
    headers.add(DeadLetterHeaders.TOPIC, bytes(topic));
    headers.add(DeadLetterHeaders.PARTITION, bytes(String.valueOf(partition)));
    headers.add(DeadLetterHeaders.OFFSET, bytes(String.valueOf(offset)));
    headers.add(DeadLetterHeaders.ERROR_CLASS, bytes(error.getClass().getName()));
    headers.add(DeadLetterHeaders.ERROR_MESSAGE, bytes(String.valueOf(error.getMessage())));
    headers.add(DeadLetterHeaders.COMPONENT, bytes(component));
    return headers;
  }

  /**
   * A dead-letter record for the Kafka Streams processor API: the original with the headers, its
   * origin read from the processor's record metadata (topic "?", partition and offset -1 when there
   * is none).
   */
  public static Record<Object, Object> record(
      Record<byte[], byte[]> original,
      Optional<RecordMetadata> origin,
      Throwable error,
      String component) {
    Headers headers =
        headers(
            origin.map(RecordMetadata::topic).orElse("?"),
            origin.map(RecordMetadata::partition).orElse(-1),
            origin.map(RecordMetadata::offset).orElse(-1L),
            error,
            component);
    original.headers().forEach(headers::add);
    return new Record<>(original.key(), original.value(), original.timestamp(), headers);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

package io.weft.common;

import org.apache.kafka.common.KafkaException;

/**
 * The root of Weft's exceptions. It extends {@link KafkaException} so that Kafka's clients and
 * Kafka Streams treat Weft's errors as their own.
 */
public class WeftException extends KafkaException {

  private static final long serialVersionUID = 1L;

  public WeftException(String message) {
    super(message);
  }

  public WeftException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.weft.core.api;

/**
 * Headers of a record on the dead-letter topic: where the original came from and why it was set
 * aside. The key and value are the original bytes.
 */
public final class DeadLetterHeaders {

  /** The topic the record was read from. */
  public static final String TOPIC = "weft.dlq.topic";

  /** Its partition, as decimal text. */
  public static final String PARTITION = "weft.dlq.partition";

  /** Its offset, as decimal text. */
  public static final String OFFSET = "weft.dlq.offset";

  /** The class of the error that set it aside. */
  public static final String ERROR_CLASS = "weft.dlq.error.class";

  /** The error's message, naming what is wrong. */
  public static final String ERROR_MESSAGE = "weft.dlq.error.message";

  /** Which Weft component set it aside, e.g. {@code coordinator} or {@code worker:train}. */
  public static final String COMPONENT = "weft.dlq.component";

  private DeadLetterHeaders() {}
}

package io.weft.workers.internals;

import io.weft.schemas.common.TaskError;
import io.weft.schemas.results.TaskOutcome;
import io.weft.schemas.results.TaskResult;
import java.util.LinkedHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** The size limit of a result record, and the failure that replaces a result over it. */
final class ResultLimit {

  /** The error type of a result over the limit. */
  static final String OUTPUT_TOO_LARGE = "weft.OutputTooLarge";

  /** What a record batch and a record add around a key and a value, at most (Kafka's v2 format). */
  static final int RECORD_OVERHEAD_BYTES = 256;

  private ResultLimit() {}

  /** An upper bound of {@code record}'s size in a batch of its own. */
  static int sizeOf(ProducerRecord<byte[], byte[]> record) {
    long size = RECORD_OVERHEAD_BYTES;
    size += record.key() == null ? 0 : record.key().length;
    size += record.value() == null ? 0 : record.value().length;
    for (Header header : record.headers()) {
      size += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  /** A non-retryable failure of the attempt of {@code result}, naming the size and the limit. */
  static TaskResult tooLarge(TaskResult result, int size, int limit) {
    String message =
        "the result of "
            + result.getRunId()
            + "/"
            + result.getTaskId()
            + "/"
            + result.getAttempt()
            + " is "
            + size
            + " bytes, over the limit of "
            + limit
            + " bytes (the results topic's max.message.bytes and the producer's"
            + " max.request.size); store large outputs as artifacts and return their references";
    return TaskResult.newBuilder(result)
        .setStatus(TaskOutcome.FAILED)
        .setOutputs(new LinkedHashMap<>())
        .setMetrics(new LinkedHashMap<>())
        .setError(new TaskError(OUTPUT_TOO_LARGE, message, false))
        .build();
  }
}

package io.weft.core.api;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers of a task request record, set by the coordinator: which attempt of which task the value
 * holds. They let a worker that cannot read the value (undecodable, or not of its type) still tell
 * the coordinator that the attempt failed, so that the run does not wait out its timeout.
 */
public final class TaskRequestHeaders {

  /** The run id, UTF-8. */
  public static final String RUN_ID = "weft.run-id";

  /** The task id, UTF-8. */
  public static final String TASK_ID = "weft.task-id";

  /** The attempt, as decimal text. */
  public static final String ATTEMPT = "weft.attempt";

  /** The attempt named by a request record's headers. */
  public record Attempt(String runId, String taskId, int attempt) {}

  private TaskRequestHeaders() {}

  /** Adds the headers naming {@code attempt} of {@code taskId} of {@code runId}. */
  public static Headers add(Headers headers, String runId, String taskId, int attempt) {
    headers.add(RUN_ID, runId.getBytes(StandardCharsets.UTF_8));
    headers.add(TASK_ID, taskId.getBytes(StandardCharsets.UTF_8));
    headers.add(ATTEMPT, Integer.toString(attempt).getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /** The attempt the headers name; empty if one is missing or malformed. */
  public static Optional<Attempt> read(Headers headers) {
    String runId = text(headers, RUN_ID);
    String taskId = text(headers, TASK_ID);
    String attempt = text(headers, ATTEMPT);
    if (runId == null || runId.isEmpty() || taskId == null || taskId.isEmpty() || attempt == null) {
      return Optional.empty();
    }
    try {
      int number = Integer.parseInt(attempt);
      return number < 1 ? Optional.empty() : Optional.of(new Attempt(runId, taskId, number));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}

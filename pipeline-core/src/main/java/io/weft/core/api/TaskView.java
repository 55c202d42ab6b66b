package io.weft.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One task of a {@link RunView}.
 *
 * @param outputs the outputs of the succeeded attempt; artifacts as {uri, sha256, size, mediaType}
 */
public record TaskView(
    Status status,
    int attempt,
    Instant scheduledAt,
    Instant startedAt,
    Instant finishedAt,
    String workerId,
    String error,
    Map<String, JsonNode> outputs) {

  /** Where a task stands. */
  public enum Status {
    PENDING,
    SCHEDULED,
    RUNNING,
    RETRY_PENDING,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    CANCELLED
  }
}

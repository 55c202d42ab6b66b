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
    Map<String, JsonNode> outputs,
    Usage usage) {

  /**
   * What the task's succeeded attempt used, as its worker measured it.
   *
   * @param wallMs the handler's wall time
   * @param cpuMs its CPU time (and that of the program an exec task ran); null if unknown
   * @param peakMemoryBytes the peak resident memory of an exec task's program; null otherwise
   */
  public record Usage(long wallMs, Long cpuMs, Long peakMemoryBytes) {}

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

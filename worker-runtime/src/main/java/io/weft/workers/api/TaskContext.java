package io.weft.workers.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.Resources;
import io.weft.schemas.common.ArtifactRef;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One attempt of one task, as a {@link TaskHandler} sees it: the request, and the runtime's
 * services for it. Thread-safe: a handler may hand it to threads of its own.
 */
public interface TaskContext {

  /** Id of the run. */
  String runId();

  /** Id of the task within the run; a forEach child is named {@code <id>[<index>]}. */
  String taskId();

  /** Attempt number, starting at 1. */
  int attempt();

  /** The task type. */
  String type();

  /**
   * The request's stable key {@code runId/taskId/attempt}, for side effects outside Kafka: the same
   * attempt may be executed twice (see {@link io.weft.workers.api}), never with another key.
   */
  String idempotencyKey();

  /** The resolved parameters, by name, each parsed from the request's JSON text. */
  Map<String, JsonNode> params();

  /**
   * One parameter.
   *
   * @throws TaskFailedException (not retryable) if the request has no such parameter
   */
  JsonNode param(String name);

  /**
   * One parameter converted to {@code type} with Jackson, e.g. {@code param("epochs",
   * Integer.class)}.
   *
   * @throws TaskFailedException (not retryable) if there is no such parameter or it does not fit
   */
  <T> T param(String name, Class<T> type);

  /** Outputs of the upstream tasks, by upstream task id, then by output name. */
  Map<String, Map<String, OutputValue>> upstream();

  /**
   * One upstream output that is a JSON value.
   *
   * @throws TaskFailedException (not retryable) if there is no such output or it is an artifact
   */
  JsonNode upstreamJson(String taskId, String output);

  /**
   * One upstream output that is an artifact reference.
   *
   * @throws TaskFailedException (not retryable) if there is no such output or it is JSON
   */
  ArtifactRef upstreamArtifact(String taskId, String output);

  /**
   * When the attempt times out. The coordinator fails the attempt then, whatever the handler does;
   * long handlers may stop early when it has passed.
   */
  Instant deadline();

  /**
   * What the attempt needs, as its task declares it ({@code resources} in the definition), the cpu
   * and memory it leaves out as its type's handler says ({@link TaskHandler#defaultResources()}):
   * CPU cores, memory, GPUs; {@link Resources#NONE} when neither says anything.
   */
  default Resources resources() {
    return Resources.NONE;
  }

  /**
   * The indices (from 0) of the GPUs this worker granted the attempt: as many as its task declared
   * ({@code resources.gpu}), none held by another running attempt; empty for a task that needs no
   * GPU. A handler runs its work on these devices.
   */
  default List<Integer> gpus() {
    return List.of();
  }

  /** The artifact store, for payloads too large for a JSON output. */
  ArtifactStore artifacts();

  /** Stores {@code data} as an artifact of this attempt; see {@link ArtifactStore#put}. */
  default ArtifactRef putArtifact(String name, InputStream data, String mediaType) {
    return artifacts().put(runId(), taskId(), attempt(), name, data, mediaType);
  }

  /** Stores the file {@code data} as an artifact of this attempt; see {@link ArtifactStore#put}. */
  default ArtifactRef putArtifact(String name, Path data, String mediaType) {
    return artifacts().put(runId(), taskId(), attempt(), name, data, mediaType);
  }

  /**
   * Reports progress: sends a {@code TaskProgress} to the results topic, e.g. after each training
   * epoch. Returns at once; reports are sent in order, best effort (they are advisory), and ignored
   * once the attempt is cancelled by a lost partition or a shutdown.
   *
   * @param step steps completed so far
   * @param totalSteps total steps expected, or null when unknown
   * @param metrics metrics at this step, e.g. loss; may be empty
   */
  default void progress(long step, Long totalSteps, Map<String, Double> metrics) {
    progress(step, totalSteps, metrics, null);
  }

  /** As {@link #progress(long, Long, Map)}, with a human-readable status line (may be null). */
  void progress(long step, Long totalSteps, Map<String, Double> metrics, String message);

  /**
   * Whether the attempt should stop: true after the coordinator stopped its run (a {@code
   * RunCancelled} or {@code RunFailed} on the cancellations topic), after this worker lost the
   * request's partition (its result will be discarded: the partition's new owner executes the
   * request again), or during a shutdown whose timeout has passed (the result is discarded too).
   * Once true it stays true.
   */
  boolean isCancelled();
}

package io.weft.workers.api;

import io.weft.schemas.common.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where tasks keep payloads too large for events (datasets, checkpoints, models). Events carry an
 * {@link ArtifactRef} (URI, SHA-256, size, media type); readers verify the digest before use.
 * Implementations are thread-safe. Errors are {@link ArtifactException}s.
 */
public interface ArtifactStore {

  /**
   * Stores {@code data} as artifact {@code name} of one task attempt. The artifact appears
   * atomically (complete or not at all); storing the same name again for the same attempt (a
   * re-executed attempt) replaces it.
   *
   * @param name a plain file name: no separators, not starting with '.'
   * @param mediaType IANA media type, e.g. {@code application/octet-stream}
   * @return the reference to put in a task output
   * @throws IllegalArgumentException if an id or the name is not a safe path segment
   */
  ArtifactRef put(
      String runId, String taskId, int attempt, String name, InputStream data, String mediaType);

  /** As {@link #put(String, String, int, String, InputStream, String)}, from a file. */
  default ArtifactRef put(
      String runId, String taskId, int attempt, String name, Path data, String mediaType) {
    try (InputStream in = Files.newInputStream(data)) {
      return put(runId, taskId, attempt, name, in, mediaType);
    } catch (IOException e) {
      throw new ArtifactException("Cannot read " + data + " to store it as '" + name + "'", e);
    }
  }

  /**
   * The artifact {@code name} of the latest attempt of a task that stored one (the current attempt
   * included), e.g. a training checkpoint an earlier, crashed attempt left behind. Its reference
   * describes the bytes stored now (media type {@code application/octet-stream}).
   *
   * <p>Stores that cannot list their artifacts return empty, so a resumable task starts over.
   */
  default Optional<ArtifactRef> latest(String runId, String taskId, String name) {
    return Optional.empty();
  }

  /**
   * Opens an artifact for reading, after checking its size and SHA-256 against the reference.
   *
   * @throws ArtifactIntegrityException if the bytes do not match the reference
   * @throws ArtifactException if the artifact is missing or cannot be read
   */
  InputStream open(ArtifactRef ref);

  /**
   * A local file holding the artifact, after checking its size and SHA-256 against the reference.
   *
   * @throws ArtifactIntegrityException if the bytes do not match the reference
   * @throws ArtifactException if the artifact is missing or cannot be read
   */
  Path fetch(ArtifactRef ref);
}

package io.weft.workers.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.weft.schemas.common.ArtifactRef;
import java.util.Objects;

/**
 * One named output of a task: a small JSON value or a reference to an artifact. Immutable: the JSON
 * value and the reference are copied in and out.
 */
public final class OutputValue {

  private final JsonNode json;
  private final ArtifactRef artifact;

  private OutputValue(JsonNode json, ArtifactRef artifact) {
    this.json = json;
    this.artifact = artifact;
  }

  /** A JSON output; {@code null} stands for JSON {@code null}. */
  public static OutputValue ofJson(JsonNode value) {
    return new OutputValue(value == null ? NullNode.getInstance() : value.deepCopy(), null);
  }

  /** An artifact output. */
  public static OutputValue ofArtifact(ArtifactRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (ref.getUri() == null || ref.getSha256() == null || ref.getMediaType() == null) {
      throw new IllegalArgumentException("Artifact reference without uri, sha256 or mediaType");
    }
    return new OutputValue(null, copy(ref));
  }

  /** Whether this output is an artifact reference rather than a JSON value. */
  public boolean isArtifact() {
    return artifact != null;
  }

  /**
   * The JSON value (a copy).
   *
   * @throws IllegalStateException if the output is an artifact
   */
  public JsonNode json() {
    if (json == null) {
      throw new IllegalStateException("The output is an artifact, not a JSON value: " + this);
    }
    return json.deepCopy();
  }

  /**
   * The artifact reference (a copy).
   *
   * @throws IllegalStateException if the output is a JSON value
   */
  public ArtifactRef artifact() {
    if (artifact == null) {
      throw new IllegalStateException("The output is a JSON value, not an artifact: " + this);
    }
    return copy(artifact);
  }

  private static ArtifactRef copy(ArtifactRef ref) {
    return new ArtifactRef(ref.getUri(), ref.getSha256(), ref.getSize(), ref.getMediaType());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputValue other
        && Objects.equals(json, other.json)
        && Objects.equals(artifact, other.artifact);
  }

  @Override
  public int hashCode() {
    return Objects.hash(json, artifact);
  }

  @Override
  public String toString() {
    return artifact != null ? "artifact " + artifact.getUri() : json.toString();
  }
}

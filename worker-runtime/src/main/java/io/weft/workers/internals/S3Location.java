package io.weft.workers.internals;

import io.weft.workers.api.ArtifactException;
import java.net.URI;
import java.net.URISyntaxException;

/** A bucket and a key in it, as the URI {@code s3://bucket/key}. */
public record S3Location(String bucket, String key) {

  /** {@code s3://bucket/key}, the key percent-encoded where a URI needs it. */
  public URI uri() {
    try {
      return new URI("s3", bucket, "/" + key, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Bucket '" + bucket + "' does not fit in a URI", e);
    }
  }

  /**
   * The bucket and key of an {@code s3://bucket/key} URI.
   *
   * @throws ArtifactException if it is not one
   */
  public static S3Location of(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException | NullPointerException e) {
      throw new ArtifactException("Artifact URI '" + uri + "' is not a valid URI", e);
    }
    String bucket = parsed.getAuthority();
    String path = parsed.getPath();
    if (!"s3".equalsIgnoreCase(parsed.getScheme())
        || bucket == null
        || path == null
        || path.length() < 2
        || parsed.getQuery() != null
        || parsed.getFragment() != null) {
      throw new ArtifactException("Artifact URI '" + uri + "' is not of the form s3://bucket/key");
    }
    return new S3Location(bucket, path.substring(1));
  }

  @Override
  public String toString() {
    return uri().toString();
  }
}

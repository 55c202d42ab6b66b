package io.weft.workers.api;

import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.internals.ArtifactCache;
import io.weft.workers.internals.ArtifactNames;
import io.weft.workers.internals.S3ArtifactReader;
import io.weft.workers.internals.S3Clients;
import io.weft.workers.internals.S3Errors;
import io.weft.workers.internals.S3Location;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ArtifactStore} on S3 or an S3-compatible server: artifact {@code name} of attempt
 * {@code attempt} of task {@code taskId} in run {@code runId} is the object {@code
 * s3://<bucket>/<prefix>/<runId>/<taskId>/<attempt>/<name>}.
 *
 * <p>{@link #put} writes the data to a temporary file of the local cache directory while computing
 * its SHA-256 and size, then uploads it in one PUT: the object appears whole or not at all, and a
 * second put of the same name replaces it. The digest is also stored as the object's metadata
 * {@code sha256}. Readers take no one's word for it: {@link #fetch} and {@link #open} download the
 * object into the cache directory (one file per SHA-256, reused while it still matches) and check
 * size and SHA-256 against the reference before handing it out. Reading accepts any {@code s3://}
 * URI the credentials may read, in any bucket.
 *
 * <p>Failures are {@link ArtifactException}s naming the URI, the bucket and S3's error code ({@code
 * NoSuchKey}, {@code NoSuchBucket}, {@code AccessDenied}, ...). Close the store to release its HTTP
 * connections.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {

  private final S3Client client;
  private final S3Location root;
  private final ArtifactCache cache;
  private final S3ArtifactReader reader;

  private S3ArtifactStore(S3Client client, S3Location root, ArtifactCache cache) {
    this.client = client;
    this.root = root;
    this.cache = cache;
    this.reader = new S3ArtifactReader(client, cache);
  }

  /**
   * A store writing under {@code location} ({@code s3://bucket} or {@code s3://bucket/prefix}),
   * reaching S3 as {@code options} say, with its downloads and uploads passing through {@code
   * cacheDir}.
   *
   * @throws IllegalArgumentException if {@code location} is not an {@code s3://} URI with a bucket
   * @throws ArtifactException if the S3 client cannot be created (no region)
   */
  public static S3ArtifactStore create(URI location, S3Options options, Path cacheDir) {
    S3Location root = root(location);
    return new S3ArtifactStore(
        S3Clients.create(Objects.requireNonNull(options, "options")),
        root,
        new ArtifactCache(cacheDir));
  }

  /** Where this store writes: {@code s3://bucket/prefix}. */
  public URI location() {
    return root.uri();
  }

  @Override
  public ArtifactRef put(
      String runId, String taskId, int attempt, String name, InputStream data, String mediaType) {
    Objects.requireNonNull(data, "data");
    S3Location target = at(ArtifactNames.relativePath(runId, taskId, attempt, name, mediaType));
    ArtifactCache.Spooled spooled;
    try {
      spooled = cache.spool(data);
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot store artifact '"
              + name
              + "' as "
              + target
              + ": cannot spool it to "
              + cache.dir()
              + ": "
              + e,
          e);
    }
    try {
      client.putObject(
          b ->
              b.bucket(target.bucket())
                  .key(target.key())
                  .contentType(mediaType)
                  .contentLength(spooled.size())
                  .metadata(Map.of("sha256", spooled.sha256())),
          RequestBody.fromFile(spooled.file()));
    } catch (SdkException e) {
      ArtifactCache.discard(spooled);
      throw S3Errors.of("store", target, e);
    }
    reader.adopt(target, spooled); // a reader on this host finds it in the cache
    return new ArtifactRef(target.uri().toString(), spooled.sha256(), spooled.size(), mediaType);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Lists the task's objects (ListObjectsV2) and downloads the artifact of the highest attempt
   * into the cache, so that its reference describes the bytes stored now.
   */
  @Override
  public Optional<ArtifactRef> latest(String runId, String taskId, String name) {
    String taskKey = at(ArtifactNames.taskPath(runId, taskId)).key() + "/";
    ArtifactNames.relativePath(runId, taskId, 1, name, "application/octet-stream");
    int best = 0;
    try {
      for (S3Object object :
          client.listObjectsV2Paginator(b -> b.bucket(root.bucket()).prefix(taskKey)).contents()) {
        String[] rest = object.key().substring(taskKey.length()).split("/", -1);
        if (rest.length == 2 && rest[1].equals(name) && ArtifactNames.isAttempt(rest[0])) {
          best = Math.max(best, Integer.parseInt(rest[0]));
        }
      }
    } catch (SdkException e) {
      throw S3Errors.of("list the attempts of", new S3Location(root.bucket(), taskKey), e);
    }
    if (best == 0) {
      return Optional.empty();
    }
    S3Location found = new S3Location(root.bucket(), taskKey + best + "/" + name);
    ArtifactCache.Spooled spooled = reader.download(found);
    reader.adopt(found, spooled);
    return Optional.of(
        new ArtifactRef(
            found.uri().toString(), spooled.sha256(), spooled.size(), "application/octet-stream"));
  }

  @Override
  public InputStream open(ArtifactRef ref) {
    return reader.open(ref);
  }

  @Override
  public Path fetch(ArtifactRef ref) {
    return reader.fetch(ref);
  }

  @Override
  public void close() {
    reader.close();
  }

  /** The reader of this store, which reads {@code s3://} references of any bucket. */
  S3ArtifactReader reader() {
    return reader;
  }

  private S3Location at(String relative) {
    return new S3Location(
        root.bucket(), root.key().isEmpty() ? relative : root.key() + "/" + relative);
  }

  /** The bucket and key prefix (without slashes at its ends, maybe empty) of a store location. */
  static S3Location root(URI location) {
    Objects.requireNonNull(location, "location");
    String bucket = location.getAuthority();
    if (!"s3".equalsIgnoreCase(location.getScheme())
        || bucket == null
        || bucket.isBlank()
        || location.getQuery() != null
        || location.getFragment() != null) {
      throw new IllegalArgumentException(
          "S3 artifact location '" + location + "' is not of the form s3://bucket[/prefix]");
    }
    String path = location.getPath() == null ? "" : location.getPath();
    String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
    return new S3Location(bucket, prefix);
  }

  @Override
  public String toString() {
    return "S3ArtifactStore{" + location() + "}";
  }
}

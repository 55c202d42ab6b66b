package io.weft.workers.internals;

import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.ArtifactException;
import io.weft.workers.api.ArtifactIntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Reads {@code s3://} artifacts of any bucket the client may read, through a local {@link
 * ArtifactCache}: an artifact is downloaded once, verified, and read from the cache after that.
 */
public final class S3ArtifactReader implements AutoCloseable {

  private final S3Client client;
  private final ArtifactCache cache;

  public S3ArtifactReader(S3Client client, ArtifactCache cache) {
    this.client = Objects.requireNonNull(client, "client");
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  /**
   * A local file with the artifact's bytes, checked against the reference: the cached copy if it is
   * still valid, else a new download.
   *
   * @throws ArtifactIntegrityException if the object's bytes do not match the reference
   * @throws ArtifactException if it cannot be read (missing, denied, unreachable)
   */
  public Path fetch(ArtifactRef ref) {
    Objects.requireNonNull(ref, "ref");
    S3Location location = S3Location.of(ref.getUri());
    String expected = String.valueOf(ref.getSha256()).toLowerCase(Locale.ROOT);
    Optional<Path> cached = cached(ref, expected);
    if (cached.isPresent()) {
      return cached.get();
    }
    ArtifactCache.Spooled spooled = download(location);
    if (spooled.size() != ref.getSize() || !spooled.sha256().equals(expected)) {
      ArtifactCache.discard(spooled);
      throw new ArtifactIntegrityException(
          ref.getUri(), expected, spooled.sha256(), ref.getSize(), spooled.size());
    }
    return adopt(location, spooled);
  }

  /**
   * Opens the artifact after {@link #fetch}ing it; the stream checks the digest again as it is
   * read.
   */
  public InputStream open(ArtifactRef ref) {
    Path file = fetch(ref);
    try {
      return new VerifyingInputStream(
          Files.newInputStream(file), ref.getUri(), ref.getSha256(), ref.getSize());
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot open the cached copy " + file + " of artifact " + ref.getUri() + ": " + e, e);
    }
  }

  /** Downloads the object at {@code location} into the cache, whatever its bytes are. */
  public ArtifactCache.Spooled download(S3Location location) {
    try (ResponseInputStream<GetObjectResponse> in =
        client.getObject(b -> b.bucket(location.bucket()).key(location.key()))) {
      return cache.spool(in);
    } catch (SdkException e) {
      throw S3Errors.of("read", location, e);
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot read artifact " + location + " into the cache " + cache.dir() + ": " + e, e);
    }
  }

  /** Keeps a download in the cache; returns the cached file. */
  public Path adopt(S3Location location, ArtifactCache.Spooled spooled) {
    try {
      return cache.adopt(spooled);
    } catch (IOException e) {
      ArtifactCache.discard(spooled);
      throw new ArtifactException(
          "Cannot keep artifact " + location + " in the cache " + cache.dir() + ": " + e, e);
    }
  }

  private Optional<Path> cached(ArtifactRef ref, String expected) {
    if (!expected.matches("[0-9a-f]{64}")) {
      return Optional.empty(); // no copy can match: the download will say what it holds
    }
    try {
      return cache.lookup(expected, ref.getSize());
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot read the cache " + cache.dir() + " for artifact " + ref.getUri() + ": " + e, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}

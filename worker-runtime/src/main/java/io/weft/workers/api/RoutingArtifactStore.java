package io.weft.workers.api;

import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.internals.ArtifactCache;
import io.weft.workers.internals.S3ArtifactReader;
import io.weft.workers.internals.S3Clients;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The artifact store a Weft component is configured with: it writes at one location, a local
 * directory ({@code file:///path}) or S3 ({@code s3://bucket/prefix}), and reads every reference by
 * its URI's scheme, wherever it was written: {@code file:} from the file system, {@code s3:} from
 * S3 with the component's S3 options (a client made on the first such read). A worker that writes
 * to a local directory can thus read a model another worker stored in S3. Any other scheme fails
 * naming the URI.
 */
public final class RoutingArtifactStore implements ArtifactStore, AutoCloseable {

  /** The schemes of the URIs the store reads. */
  public static final String SCHEMES = "file, s3";

  private final ArtifactStore writer;
  private final LocalArtifactStore files;
  private final S3Options s3;
  private final Path cacheDir;
  private S3ArtifactReader s3Reader;

  private RoutingArtifactStore(
      ArtifactStore writer, LocalArtifactStore files, S3Options s3, Path cacheDir) {
    this.writer = writer;
    this.files = files;
    this.s3 = s3;
    this.cacheDir = cacheDir;
  }

  /**
   * A store writing at {@code location}.
   *
   * @param s3 how to reach S3, for writing to an {@code s3://} location or reading {@code s3://}
   *     references
   * @param cacheDir where artifacts read from S3 are kept, one file per content
   * @throws IllegalArgumentException if {@code location} is neither {@code file:} nor {@code s3:}
   */
  public static RoutingArtifactStore open(URI location, S3Options s3, Path cacheDir) {
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(cacheDir, "cacheDir");
    String scheme = String.valueOf(location.getScheme()).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> {
        LocalArtifactStore local = new LocalArtifactStore(Path.of(location));
        yield new RoutingArtifactStore(local, local, s3, cacheDir);
      }
      case "s3" ->
          new RoutingArtifactStore(
              S3ArtifactStore.create(location, s3, cacheDir),
              new LocalArtifactStore(cacheDir),
              s3,
              cacheDir);
      default ->
          throw new IllegalArgumentException(
              "Artifact location '"
                  + location
                  + "' has scheme '"
                  + location.getScheme()
                  + "'; Weft stores artifacts at file: or s3: URIs");
    };
  }

  /**
   * The store artifacts are written to: a {@link LocalArtifactStore} or an {@link S3ArtifactStore}.
   */
  public ArtifactStore writer() {
    return writer;
  }

  @Override
  public ArtifactRef put(
      String runId, String taskId, int attempt, String name, InputStream data, String mediaType) {
    return writer.put(runId, taskId, attempt, name, data, mediaType);
  }

  @Override
  public Optional<ArtifactRef> latest(String runId, String taskId, String name) {
    return writer.latest(runId, taskId, name);
  }

  @Override
  public InputStream open(ArtifactRef ref) {
    return switch (scheme(ref)) {
      case "file" -> files.open(ref);
      default -> s3().open(ref);
    };
  }

  @Override
  public Path fetch(ArtifactRef ref) {
    return switch (scheme(ref)) {
      case "file" -> files.fetch(ref);
      default -> s3().fetch(ref);
    };
  }

  private static String scheme(ArtifactRef ref) {
    Objects.requireNonNull(ref, "ref");
    String scheme;
    try {
      scheme = new URI(ref.getUri()).getScheme();
    } catch (URISyntaxException | NullPointerException e) {
      throw new ArtifactException("Artifact URI '" + ref.getUri() + "' is not a valid URI", e);
    }
    String lower = String.valueOf(scheme).toLowerCase(Locale.ROOT);
    if (!lower.equals("file") && !lower.equals("s3")) {
      throw new ArtifactException(
          "Artifact URI '"
              + ref.getUri()
              + "' has scheme '"
              + scheme
              + "'; Weft reads artifacts with the schemes "
              + SCHEMES);
    }
    return lower;
  }

  private synchronized S3ArtifactReader s3() {
    if (s3Reader == null) {
      s3Reader =
          writer instanceof S3ArtifactStore store
              ? store.reader()
              : new S3ArtifactReader(S3Clients.create(s3), new ArtifactCache(cacheDir));
    }
    return s3Reader;
  }

  /** Releases the S3 client, if one was made. */
  @Override
  public synchronized void close() {
    if (writer instanceof S3ArtifactStore store) {
      store.close();
    } else if (s3Reader != null) {
      s3Reader.close();
    }
  }

  @Override
  public String toString() {
    return "RoutingArtifactStore{writes to " + writer + ", reads " + SCHEMES + "}";
  }
}

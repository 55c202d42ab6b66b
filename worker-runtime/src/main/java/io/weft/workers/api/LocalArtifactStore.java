package io.weft.workers.api;

import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.internals.ArtifactNames;
import io.weft.workers.internals.PathSegments;
import io.weft.workers.internals.Sha256;
import io.weft.workers.internals.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An {@link ArtifactStore} on a local (or shared, mounted) file system: artifact {@code name} of
 * attempt {@code attempt} of task {@code taskId} in run {@code runId} is the file {@code
 * <root>/<runId>/<taskId>/<attempt>/<name>}, referred to by a {@code file://} URI.
 *
 * <p>Writing goes to a temporary file in the same directory, flushed to disk, then moved into place
 * atomically. Reading accepts any {@code file:} URI (artifacts of other workers sharing the mount);
 * other schemes are refused with a clear error.
 */
public final class LocalArtifactStore implements ArtifactStore {

  private final Path root;

  public LocalArtifactStore(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** The absolute root directory. */
  public Path root() {
    return root;
  }

  @Override
  public ArtifactRef put(
      String runId, String taskId, int attempt, String name, InputStream data, String mediaType) {
    Objects.requireNonNull(data, "data");
    ArtifactNames.relativePath(runId, taskId, attempt, name, mediaType);
    Path dir =
        root.resolve(PathSegments.check("runId", runId))
            .resolve(PathSegments.check("taskId", taskId))
            .resolve(String.valueOf(attempt));
    Path target = dir.resolve(PathSegments.checkName("artifact name", name)).normalize();
    if (!target.getParent().equals(dir.normalize()) || !target.startsWith(root)) {
      throw new IllegalArgumentException("Artifact '" + name + "' would leave " + root);
    }
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, ".tmp-", ".part");
      MessageDigest digest = Sha256.digest();
      long size;
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        size = Sha256.copy(data, out, digest);
        out.flush();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new ArtifactRef(target.toUri().toString(), Sha256.hex(digest), size, mediaType);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new ArtifactException("Cannot store artifact '" + name + "' in " + dir + ": " + e, e);
    }
  }

  @Override
  public Optional<ArtifactRef> latest(String runId, String taskId, String name) {
    Path task =
        root.resolve(PathSegments.check("runId", runId))
            .resolve(PathSegments.check("taskId", taskId));
    PathSegments.checkName("artifact name", name);
    if (!Files.isDirectory(task)) {
      return Optional.empty();
    }
    try (Stream<Path> attempts = Files.list(task)) {
      Optional<Path> latest =
          attempts
              .filter(dir -> ArtifactNames.isAttempt(dir.getFileName().toString()))
              .filter(dir -> Files.isRegularFile(dir.resolve(name)))
              .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString())));
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      Path file = latest.get().resolve(name);
      MessageDigest digest = Sha256.digest();
      long size;
      try (InputStream in = Files.newInputStream(file)) {
        size = Sha256.copy(in, null, digest);
      }
      return Optional.of(
          new ArtifactRef(
              file.toUri().toString(), Sha256.hex(digest), size, "application/octet-stream"));
    } catch (IOException e) {
      throw new ArtifactException("Cannot look for '" + name + "' under " + task + ": " + e, e);
    }
  }

  @Override
  public InputStream open(ArtifactRef ref) {
    Path path = fetch(ref);
    try {
      return new VerifyingInputStream(
          Files.newInputStream(path), ref.getUri(), ref.getSha256(), ref.getSize());
    } catch (IOException e) {
      throw new ArtifactException("Cannot open artifact " + ref.getUri() + ": " + e, e);
    }
  }

  @Override
  public Path fetch(ArtifactRef ref) {
    Path path = pathOf(ref);
    String actual;
    long size;
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest digest = Sha256.digest();
      size = Sha256.copy(in, null, digest);
      actual = Sha256.hex(digest);
    } catch (NoSuchFileException e) {
      throw new ArtifactException(
          "Artifact "
              + ref.getUri()
              + " is missing: no file "
              + path
              + " (expected sha256 "
              + ref.getSha256()
              + ")",
          e);
    } catch (IOException e) {
      throw new ArtifactException("Cannot read artifact " + ref.getUri() + ": " + e, e);
    }
    String expected = String.valueOf(ref.getSha256()).toLowerCase(Locale.ROOT);
    if (size != ref.getSize() || !actual.equals(expected)) {
      throw new ArtifactIntegrityException(ref.getUri(), expected, actual, ref.getSize(), size);
    }
    return path;
  }

  private static Path pathOf(ArtifactRef ref) {
    Objects.requireNonNull(ref, "ref");
    URI uri;
    try {
      uri = URI.create(ref.getUri());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ArtifactException("Artifact URI '" + ref.getUri() + "' is not a valid URI", e);
    }
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new ArtifactException(
          "Artifact URI '"
              + uri
              + "' has scheme '"
              + uri.getScheme()
              + "'; LocalArtifactStore reads only file: URIs");
    }
    try {
      return Path.of(uri);
    } catch (IllegalArgumentException e) {
      throw new ArtifactException("Artifact URI '" + uri + "' is not a local file path", e);
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // best effort: a leftover temporary file is harmless
    }
  }

  @Override
  public String toString() {
    return "LocalArtifactStore{" + root + "}";
  }
}

package io.weft.workers.internals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Local copies of remote artifacts, one file per content: {@code <dir>/sha256/<hex>}. A copy is
 * written to a temporary file while its digest is computed, and moved into place only under the
 * digest of what was written, so a file in the cache always holds the bytes its name says, unless
 * changed behind Weft's back (which {@link #lookup} notices). Safe for several threads and
 * processes sharing the directory.
 */
public final class ArtifactCache {

  private final Path dir;

  public ArtifactCache(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  /** Bytes written to a temporary file, with their SHA-256 and size. */
  public record Spooled(Path file, String sha256, long size) {}

  /** Copies {@code in} to a new temporary file of the cache, digesting it on the way. */
  public Spooled spool(InputStream in) throws IOException {
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    Path file = Files.createTempFile(tmp, "spool-", ".part");
    try {
      MessageDigest digest = Sha256.digest();
      long size;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        size = Sha256.copy(in, out, digest);
        out.flush();
      }
      return new Spooled(file, Sha256.hex(digest), size);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Moves a spooled file into the cache under its digest; returns the cached file. */
  public Path adopt(Spooled spooled) throws IOException {
    Path target = path(spooled.sha256());
    Files.createDirectories(target.getParent());
    Files.move(
        spooled.file(),
        target,
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /**
   * The cached copy of content {@code sha256} of {@code size} bytes, if there is one and it still
   * holds those bytes (checked by reading it); a copy that does not is deleted.
   */
  public Optional<Path> lookup(String sha256, long size) throws IOException {
    Path file = path(sha256);
    try {
      if (Files.size(file) == size) {
        MessageDigest digest = Sha256.digest();
        try (InputStream in = Files.newInputStream(file)) {
          Sha256.copy(in, null, digest);
        }
        if (Sha256.hex(digest).equals(normalized(sha256))) {
          return Optional.of(file);
        }
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Files.deleteIfExists(file);
    return Optional.empty();
  }

  /** Deletes a spooled file that is not kept; a file that cannot be deleted is left. */
  public static void discard(Spooled spooled) {
    if (spooled == null) {
      return;
    }
    try {
      Files.deleteIfExists(spooled.file());
    } catch (IOException e) {
      // best effort: a leftover temporary file is harmless
    }
  }

  private Path path(String sha256) {
    String hex = normalized(sha256);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("'" + sha256 + "' is not a SHA-256 digest in hex");
    }
    return dir.resolve("sha256").resolve(hex);
  }

  private static String normalized(String sha256) {
    return String.valueOf(sha256).toLowerCase(Locale.ROOT);
  }
}

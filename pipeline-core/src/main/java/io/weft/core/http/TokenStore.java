package io.weft.core.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens of a token file ({@link TokenFile}), read again when the file changes: that is how
 * tokens are added, rotated and revoked without a restart. When asked, at most once per {@link
 * #CHECK_INTERVAL}, it compares the file's modification time, size and identity with the version it
 * read; if they differ, it reads the file again. A version that cannot be read or is invalid is
 * logged (its problems, never a token) and the tokens read before stay in force until the file is
 * fixed: a half-written or deleted file does not lock everyone out, nor does it let anyone in.
 * Replace the file atomically (write a new one, then rename it over the old) to avoid reading a
 * half-written one at all.
 */
public final class TokenStore implements TokenVerifier {

  private static final Logger log = LoggerFactory.getLogger(TokenStore.class);

  /** How often the file is checked for a change, at most. */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  private final Path file;
  private final Time time;
  private final long intervalMs;
  private volatile Tokens tokens;
  private volatile Stamp stamp;
  private volatile long checkedAtMs;

  private TokenStore(Path file, Time time, Duration interval) {
    this.file = file;
    this.time = time;
    this.intervalMs = interval.toMillis();
  }

  /**
   * Reads {@code file} now.
   *
   * @throws TokenFileException if it cannot be read or is invalid, naming every problem
   */
  public static TokenStore open(Path file) {
    return open(file, Time.SYSTEM, CHECK_INTERVAL);
  }

  /**
   * Reads {@code file} now; checks it for changes at most every {@code interval} of {@code time}.
   */
  static TokenStore open(Path file, Time time, Duration interval) {
    TokenStore store = new TokenStore(file, time, interval);
    Stamp stamp = Stamp.of(file);
    store.tokens = TokenFile.read(file);
    store.stamp = stamp;
    store.checkedAtMs = time.milliseconds();
    if (store.tokens.size() == 0) {
      log.warn("Token file {} holds no token: every authenticated request is refused", file);
    } else {
      log.info("Read {} token(s) from {}", store.tokens.size(), file);
    }
    return store;
  }

  /** The file the tokens come from. */
  public Path file() {
    return file;
  }

  /** The token {@code presented} is, by the file as it stands (checked at most every interval). */
  public Optional<Token> find(String presented) {
    return current().find(presented);
  }

  Tokens current() {
    long now = time.milliseconds();
    if (now - checkedAtMs >= intervalMs) {
      reloadIfChanged(now);
    }
    return tokens;
  }

  private synchronized void reloadIfChanged(long now) {
    if (now - checkedAtMs < intervalMs) {
      return; // another thread just checked
    }
    checkedAtMs = now;
    Stamp current;
    try {
      current = Stamp.of(file);
    } catch (TokenFileException e) {
      if (stamp != null) {
        log.warn("{}; keeping the {} token(s) read before", e.getMessage(), tokens.size());
      }
      stamp = null;
      return;
    }
    if (current.equals(stamp)) {
      return;
    }
    stamp = current;
    try {
      Tokens read = TokenFile.read(file);
      tokens = read;
      log.info("Token file {} changed: {} token(s) now", file, read.size());
    } catch (TokenFileException e) {
      log.warn("{}; keeping the {} token(s) read before", e.getMessage(), tokens.size());
    }
  }

  /** What tells one version of the file from another without reading it. */
  private record Stamp(FileTime modified, long size, Object key) {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
      } catch (NoSuchFileException e) {
        throw new TokenFileException(file, "it does not exist", e);
      } catch (IOException e) {
        throw new TokenFileException(file, "cannot read it: " + e, e);
      }
    }
  }
}

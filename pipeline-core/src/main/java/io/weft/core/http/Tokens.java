package io.weft.core.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The tokens of one version of a token file, each kept only as the SHA-256 of its bytes (UTF-8). A
 * presented token is hashed and compared with every entry in constant time ({@link
 * MessageDigest#isEqual}), all of them, whether one matched or not.
 */
final class Tokens {

  /** A token's name and scopes, and its SHA-256. */
  record Entry(Token token, byte[] sha256) {}

  private final List<Entry> entries;

  Tokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The token {@code presented} is, if it is one of these. */
  Optional<Token> find(String presented) {
    byte[] digest = sha256(presented);
    Token found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.sha256(), digest) && found == null) {
        found = entry.token();
      }
    }
    return Optional.ofNullable(found);
  }

  /** How many tokens there are. */
  int size() {
    return entries.size();
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}

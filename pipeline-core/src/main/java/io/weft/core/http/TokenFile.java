package io.weft.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a token file: one token a line, {@code NAME SCOPES TOKEN} separated by spaces or tabs;
 * blank lines and lines starting with {@code #} are skipped.
 *
 * <pre>
 * # name    scopes      token
 * grafana   read        sha256:5f1d3f6d2b0c...(64 hex digits)
 * ci        read,write  Vq3x9LrT0bqfJk2mWc8uZsY4
 * </pre>
 *
 * <ul>
 *   <li>NAME: 1 to 64 letters, digits, {@code . _ - @}; unique in the file. It is what logs and
 *       error messages show of a token.
 *   <li>SCOPES: {@code read}, {@code write} or both, comma-separated ({@link Scope}).
 *   <li>TOKEN: {@code sha256:} and the 64 hex digits of the token's SHA-256 (of its UTF-8 bytes;
 *       {@code printf %s "$TOKEN" | sha256sum}), or the token itself: at least {@value
 *       #MIN_PLAIN_LENGTH} visible ASCII characters. A token that starts with {@code sha256:} is
 *       always read as a hash. Two lines may not hold the same token.
 * </ul>
 *
 * Every problem is reported at once, each naming its line; no message quotes a field of the file,
 * since any of them may be a token written in the wrong place.
 */
public final class TokenFile {

  /** The fewest characters of a token written as itself. */
  static final int MIN_PLAIN_LENGTH = 16;

  /** The largest file read, in bytes. */
  static final int MAX_BYTES = 1 << 20;

  private static final String HASH_PREFIX = "sha256:";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final String NAME_PROBLEM =
      "the name (first field) must be 1 to 64 letters, digits, '.', '_', '-' or '@'";
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{64}");

  private TokenFile() {}

  /**
   * The line of a token file that lets {@code token} in as {@code name} with {@code scopes}, the
   * token written as its hash: the file need not hold the token itself.
   *
   * @throws TokenFileException if a token file would refuse the name or the token
   */
  public static String hashedLine(String name, Set<Scope> scopes, String token) {
    String tags = String.join(",", scopes.stream().sorted().map(Scope::tag).toList());
    Path line = Path.of("(new line)");
    if (!NAME.matcher(name).matches()) {
      throw new TokenFileException(line, List.of("line 1: " + NAME_PROBLEM));
    }
    parse(line, name + " " + tags + " " + token); // the file's own checks
    return name + " " + tags + " sha256:" + HexFormat.of().formatHex(Tokens.sha256(token));
  }

  /**
   * The tokens of {@code file}.
   *
   * @throws TokenFileException naming every problem (by line), or why the file cannot be read
   */
  static Tokens read(Path file) {
    return parse(file, text(file));
  }

  static Tokens parse(Path file, String text) {
    List<String> problems = new ArrayList<>();
    List<Tokens.Entry> entries = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    Map<String, Integer> digests = new HashMap<>();
    String[] lines = text.split("\r?\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      int line = i + 1;
      String content = lines[i].strip();
      if (content.isEmpty() || content.startsWith("#")) {
        continue;
      }
      String[] fields = content.split("\\s+");
      if (fields.length != 3) {
        problems.add(
            "line "
                + line
                + ": expected NAME SCOPES TOKEN separated by spaces, found "
                + fields.length
                + (fields.length == 1 ? " field" : " fields"));
        continue;
      }
      int before = problems.size();
      String name = fields[0];
      if (!NAME.matcher(name).matches()) {
        problems.add("line " + line + ": " + NAME_PROBLEM);
      } else if (names.containsKey(name)) {
        problems.add("line " + line + ": the name is already used on line " + names.get(name));
      }
      Set<Scope> scopes = scopes(fields[1], line, problems);
      byte[] digest = digest(fields[2], line, problems);
      if (digest != null) {
        String key = HexFormat.of().formatHex(digest);
        Integer first = digests.putIfAbsent(key, line);
        if (first != null) {
          problems.add("line " + line + ": the same token as line " + first);
        }
      }
      names.putIfAbsent(name, line);
      if (problems.size() == before) {
        entries.add(new Tokens.Entry(new Token(name, scopes), digest));
      }
    }
    if (!problems.isEmpty()) {
      throw new TokenFileException(file, problems);
    }
    return new Tokens(entries);
  }

  private static Set<Scope> scopes(String field, int line, List<String> problems) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String tag : field.split(",", -1)) {
      Scope scope = scope(tag.strip());
      if (scope == null || !scopes.add(scope)) {
        problems.add(
            "line "
                + line
                + ": the scopes (second field) must be read, write or read,write, each once");
        return scopes;
      }
    }
    return scopes;
  }

  private static Scope scope(String tag) {
    for (Scope scope : Scope.values()) {
      if (scope.tag().equals(tag.toLowerCase(Locale.ROOT))) {
        return scope;
      }
    }
    return null;
  }

  private static byte[] digest(String field, int line, List<String> problems) {
    if (field.regionMatches(true, 0, HASH_PREFIX, 0, HASH_PREFIX.length())) {
      String hex = field.substring(HASH_PREFIX.length());
      if (!HEX.matcher(hex).matches()) {
        problems.add(
            "line "
                + line
                + ": a hashed token (third field) is sha256: and 64 hex digits, the SHA-256 of the"
                + " token");
        return null;
      }
      return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    }
    if (field.length() < MIN_PLAIN_LENGTH || !field.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      problems.add(
          "line "
              + line
              + ": a token (third field) needs at least "
              + MIN_PLAIN_LENGTH
              + " visible ASCII characters, or write it as sha256:<hex> of the token");
      return null;
    }
    return Tokens.sha256(field);
  }

  private static String text(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new TokenFileException(file, "cannot read it: " + e, e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new TokenFileException(
          file, "it is over " + MAX_BYTES + " bytes; a token file holds a line per token", null);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new TokenFileException(file, "it is not UTF-8 text", e);
    }
  }
}

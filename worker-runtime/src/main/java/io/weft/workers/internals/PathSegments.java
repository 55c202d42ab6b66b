package io.weft.workers.internals;

import java.nio.charset.StandardCharsets;

/** Checks that ids and names are safe single path segments: no traversal, no separators. */
public final class PathSegments {

  private static final int MAX_BYTES = 255;

  private PathSegments() {}

  /**
   * {@code value} if it is one safe path segment: not empty, not {@code .} or {@code ..}, without
   * {@code /}, {@code \}, control characters, and at most 255 UTF-8 bytes.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String check(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(what + " '" + value + "' is not a safe path segment");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '/' || c == '\\' || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            what
                + " '"
                + value
                + "' must not hold '/', '\\' or control characters (no path traversal)");
      }
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException(what + " is longer than " + MAX_BYTES + " bytes");
    }
    return value;
  }

  /** As {@link #check}, and not starting with '.' (no hidden or temporary files). */
  public static String checkName(String what, String value) {
    check(what, value);
    if (value.startsWith(".")) {
      throw new IllegalArgumentException(what + " '" + value + "' must not start with '.'");
    }
    return value;
  }
}

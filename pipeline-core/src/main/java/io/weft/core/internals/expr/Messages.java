package io.weft.core.internals.expr;

/** Helpers to build error messages that say where the problem is. */
final class Messages {

  private Messages() {}

  /** {@code " at position 4 in 'text'"}, or less when the position or source is unknown. */
  static String at(String source, int position) {
    if (position < 0) {
      return source == null ? "" : " in '" + source + "'";
    }
    return " at position " + position + (source == null ? "" : " in '" + source + "'");
  }
}

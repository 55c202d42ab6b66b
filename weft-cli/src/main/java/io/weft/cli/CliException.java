package io.weft.cli;

import java.util.List;

/**
 * A failure the command reports to the user: each line is printed to stderr as {@code weft:
 * <line>}, and the command exits with {@link #exitCode()}.
 */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final transient List<String> lines;

  CliException(int exitCode, String message) {
    this(exitCode, List.of(message));
  }

  CliException(int exitCode, List<String> lines) {
    super(String.join("; ", lines));
    this.exitCode = exitCode;
    this.lines = List.copyOf(lines);
  }

  int exitCode() {
    return exitCode;
  }

  List<String> lines() {
    return lines;
  }
}

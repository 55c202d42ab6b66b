package io.weft.core.http;

import io.weft.common.WeftException;
import java.nio.file.Path;
import java.util.List;

/**
 * A token file that cannot be used: every problem found, each naming its line. No message ever
 * holds a token.
 */
public final class TokenFileException extends WeftException {

  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  TokenFileException(Path file, List<String> problems) {
    super("Invalid token file " + file + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  TokenFileException(Path file, String problem, Throwable cause) {
    super("Invalid token file " + file + ": " + problem, cause);
    this.problems = List.of(problem);
  }

  /** Each problem, e.g. {@code line 3: unknown scope 'admin'; scopes are read and write}. */
  public List<String> problems() {
    return problems;
  }
}

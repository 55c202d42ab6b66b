package io.weft.core.api;

import io.weft.common.WeftException;
import java.util.List;
import java.util.stream.Collectors;

/** A workflow definition was rejected; {@link #problems()} lists everything wrong with it. */
public class InvalidDefinitionException extends WeftException {

  private static final long serialVersionUID = 1L;

  private final transient List<DefinitionProblem> problems;

  public InvalidDefinitionException(String what, List<DefinitionProblem> problems) {
    super(message(what, problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order of the definition. */
  public List<DefinitionProblem> problems() {
    return problems;
  }

  private static String message(String what, List<DefinitionProblem> problems) {
    return "Invalid workflow "
        + what
        + ": "
        + problems.size()
        + (problems.size() == 1 ? " problem" : " problems")
        + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
  }
}

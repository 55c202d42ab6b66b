package io.weft.core.api;

import io.weft.core.internals.definition.DefinitionChecks;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a workflow definition before anything is written: the same checks for {@code weft
 * validate} and for registration. Every problem is reported, each naming its task or edge.
 *
 * <p>Task types become known when workers declare them (see {@code TaskTypes}); a validator made
 * {@link #withoutTypeCheck()} skips that one check, for offline validation.
 */
public final class WorkflowValidator {

  private final Optional<Set<String>> knownTypes;
  private final DefinitionLimits limits;

  private WorkflowValidator(Optional<Set<String>> knownTypes, DefinitionLimits limits) {
    this.knownTypes = knownTypes;
    this.limits = limits;
  }

  /** A validator that also requires every task type to be among {@code types}. */
  public static WorkflowValidator withKnownTypes(Set<String> types) {
    return new WorkflowValidator(Optional.of(Set.copyOf(types)), DefinitionLimits.DEFAULT);
  }

  /** A validator that accepts any well-formed task type. */
  public static WorkflowValidator withoutTypeCheck() {
    return new WorkflowValidator(Optional.empty(), DefinitionLimits.DEFAULT);
  }

  /** The same validator with other limits. */
  public WorkflowValidator withLimits(DefinitionLimits limits) {
    return new WorkflowValidator(knownTypes, limits);
  }

  /** Every problem with {@code definition}; empty when it is valid. */
  public List<DefinitionProblem> problems(WorkflowDefinition definition) {
    return new DefinitionChecks(definition, knownTypes, limits).run();
  }

  /**
   * Returns {@code definition} if it is valid.
   *
   * @throws InvalidDefinitionException listing every problem
   */
  public WorkflowDefinition validate(WorkflowDefinition definition) {
    List<DefinitionProblem> problems = problems(definition);
    if (!problems.isEmpty()) {
      throw new InvalidDefinitionException(
          "'" + definition.name() + "' version " + definition.version(), problems);
    }
    return definition;
  }
}

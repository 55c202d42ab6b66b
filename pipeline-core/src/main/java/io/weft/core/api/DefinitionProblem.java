package io.weft.core.api;

/**
 * One thing wrong with a workflow definition.
 *
 * @param location where: {@code workflow}, {@code task 'train'}, {@code task 'train' params.lr}
 * @param message what is wrong, e.g. "depends on 'prep', which does not exist"
 */
public record DefinitionProblem(String location, String message) {

  @Override
  public String toString() {
    return location + ": " + message;
  }
}

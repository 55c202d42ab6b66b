package io.weft.core.api;

/**
 * Bounds on a workflow definition, so that definitions and the events built from them stay small.
 *
 * @param maxTasks tasks per workflow
 * @param maxParamsBytes bytes of all parameters of the workflow and its tasks, as JSON
 */
public record DefinitionLimits(int maxTasks, int maxParamsBytes) {

  /** 1,000 tasks and 64 KiB of parameters. */
  public static final DefinitionLimits DEFAULT = new DefinitionLimits(1_000, 64 * 1024);
}

package io.weft.benchmarks;

import io.weft.core.api.Resources;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;

/** The workflows the benchmark runs. */
final class Workflows {

  /** Tasks of {@link #diamond}. */
  static final int DIAMOND_TASKS = 4;

  /** Tasks of {@link #chain}. */
  static final int CHAIN_TASKS = 20;

  private Workflows() {}

  /** a, then b and c side by side, then d: four tasks of one type. */
  static WorkflowDefinition diamond(String name, String type) {
    return WorkflowDefinition.builder(name, 1)
        .task(TaskDefinition.builder("a", type))
        .task(TaskDefinition.builder("b", type).dependsOn("a"))
        .task(TaskDefinition.builder("c", type).dependsOn("a"))
        .task(TaskDefinition.builder("d", type).dependsOn("b", "c"))
        .build();
  }

  /**
   * {@link #diamond} whose every task declares {@code resources}, so that workers admit each by its
   * cores and memory.
   */
  static WorkflowDefinition diamond(String name, String type, Resources resources) {
    return WorkflowDefinition.builder(name, 1)
        .task(TaskDefinition.builder("a", type).resources(resources))
        .task(TaskDefinition.builder("b", type).dependsOn("a").resources(resources))
        .task(TaskDefinition.builder("c", type).dependsOn("a").resources(resources))
        .task(TaskDefinition.builder("d", type).dependsOn("b", "c").resources(resources))
        .build();
  }

  /** t00 -> t01 -> ... -> t19, one type. */
  static WorkflowDefinition chain(String name, String type) {
    WorkflowDefinition.Builder chain = WorkflowDefinition.builder(name, 1);
    for (int i = 0; i < CHAIN_TASKS; i++) {
      TaskDefinition.Builder task = TaskDefinition.builder(taskId(i), type);
      if (i > 0) {
        task.dependsOn(taskId(i - 1));
      }
      chain.task(task);
    }
    return chain.build();
  }

  static String taskId(int index) {
    return String.format("t%02d", index);
  }
}

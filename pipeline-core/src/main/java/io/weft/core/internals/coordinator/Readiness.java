package io.weft.core.internals.coordinator;

import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tasks of a run can start now: a pure function of the definition and the run's state.
 *
 * <p>A task is ready when it is PENDING and the <em>set</em> of its upstream tasks that have
 * succeeded or been skipped covers all its dependencies. A task is blocked when an upstream task
 * failed or was cancelled, directly or further up; it can never run in this round.
 */
public final class Readiness {

  private static final Set<TaskStatus> DONE = Set.of(TaskStatus.SUCCEEDED, TaskStatus.SKIPPED);
  private static final Set<TaskStatus> BROKEN = Set.of(TaskStatus.FAILED, TaskStatus.CANCELLED);
  private static final Set<TaskStatus> IN_FLIGHT =
      Set.of(TaskStatus.SCHEDULED, TaskStatus.RUNNING, TaskStatus.RETRY_PENDING);

  private Readiness() {}

  /**
   * The PENDING tasks whose dependencies have all succeeded or been skipped, in definition order.
   */
  public static List<TaskDefinition> ready(WorkflowDefinition definition, RunState state) {
    List<TaskDefinition> ready = new ArrayList<>();
    for (TaskDefinition task : definition.tasks()) {
      if (status(state, task.id()) == TaskStatus.PENDING
          && task.dependsOn().stream().allMatch(dep -> DONE.contains(status(state, dep)))) {
        ready.add(task);
      }
    }
    return ready;
  }

  /** The PENDING tasks that cannot run because an upstream task failed or was cancelled. */
  public static List<TaskDefinition> blocked(WorkflowDefinition definition, RunState state) {
    Map<String, Boolean> memo = new HashMap<>();
    List<TaskDefinition> blocked = new ArrayList<>();
    for (TaskDefinition task : definition.tasks()) {
      if (status(state, task.id()) == TaskStatus.PENDING
          && isBlocked(definition, state, task, memo)) {
        blocked.add(task);
      }
    }
    return blocked;
  }

  private static boolean isBlocked(
      WorkflowDefinition definition,
      RunState state,
      TaskDefinition task,
      Map<String, Boolean> memo) {
    Boolean known = memo.get(task.id());
    if (known != null) {
      return known;
    }
    memo.put(task.id(), false); // valid definitions have no cycles; this guards anyway
    boolean blocked = false;
    for (String dep : task.dependsOn()) {
      TaskStatus s = status(state, dep);
      if (BROKEN.contains(s)
          || (s == TaskStatus.PENDING
              && definition
                  .task(dep)
                  .map(d -> isBlocked(definition, state, d, memo))
                  .orElse(false))) {
        blocked = true;
        break;
      }
    }
    memo.put(task.id(), blocked);
    return blocked;
  }

  /**
   * Whether any task or forEach child is dispatched, running or waiting for a retry. A fan-out
   * whose children may be in flight is RUNNING itself until it settles, so children are read only
   * under a fan-out that ended before them (it failed while they ran on).
   */
  public static boolean anyInFlight(WorkflowDefinition definition, RunState state) {
    for (TaskDefinition def : definition.tasks()) {
      TaskState task = state.getTasks().get(def.id());
      if (task == null) {
        continue;
      }
      if (IN_FLIGHT.contains(task.getStatus())) {
        return true;
      }
      if (task.getChildren() != null && task.getStatus() != TaskStatus.SUCCEEDED) {
        for (int i = 0; i < task.getChildren(); i++) {
          TaskState child = state.getTasks().get(TaskIds.child(def.id(), i));
          if (child != null && IN_FLIGHT.contains(child.getStatus())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The task's status; PENDING if it has no state yet. */
  public static TaskStatus status(RunState state, String taskId) {
    TaskState task = state.getTasks().get(taskId);
    return task == null ? TaskStatus.PENDING : task.getStatus();
  }
}

package io.weft.core.internals.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.weft.core.api.TaskDefinition;
import io.weft.core.internals.expr.Expression;
import io.weft.core.internals.expr.ExpressionException;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskSkipped;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Moves a run forward after anything changed: settles finished fan-outs, plans every ready task
 * (skip it, fan it out or dispatch it) and ends the run when nothing is left to do.
 */
final class Progression {

  /** Children one forEach may fan out to. */
  static final int MAX_FAN_OUT = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Progression() {}

  static void advance(RunContext ctx) {
    boolean changed = true;
    // a pass goes on only if it planned or settled a task, which each task is once at most per
    // input; more passes mean a task was planned and did not change state: a bug, which fails
    // this run (see RunProcessor) instead of looping forever
    int passesLeft = 2 * ctx.definition.tasks().size() + 2;
    boolean paused = ctx.state().getPaused();
    while (changed && running(ctx)) {
      if (passesLeft-- == 0) {
        throw new IllegalStateException(
            "run " + ctx.state().getRunId() + " did not settle after planning every task");
      }
      changed = settleFanOuts(ctx);
      if (paused) {
        continue; // a paused run plans nothing: its ready tasks wait for RunResumed
      }
      for (TaskDefinition task : Readiness.ready(ctx.definition, ctx.state())) {
        if (!running(ctx)) {
          return;
        }
        plan(ctx, task);
        changed = true;
      }
    }
    if (running(ctx)
        && !Readiness.anyInFlight(ctx.definition, ctx.state())
        && !(paused && !Readiness.ready(ctx.definition, ctx.state()).isEmpty())) {
      for (TaskDefinition blocked : Readiness.blocked(ctx.definition, ctx.state())) {
        ctx.emit(new TaskSkipped(blocked.id(), "an upstream task failed"));
      }
      Duration took = Duration.between(ctx.state().getStartedAt(), ctx.now);
      ctx.emit(new RunSucceeded(took.toMillis()));
    }
  }

  /** Decides what a task whose dependencies are done does: skip, fan out, or run. */
  static void plan(RunContext ctx, TaskDefinition task) {
    var bindings = RunBindings.of(ctx.state(), null);
    try {
      if (task.when() != null && !Expression.parse(task.when()).test(bindings)) {
        ctx.emit(new TaskSkipped(task.id(), "condition '" + task.when() + "' is false"));
        return;
      }
      if (task.forEach() == null) {
        ctx.schedule(task.id(), ctx.task(task.id()).getAttempt() + 1, null, null);
        return;
      }
      JsonNode items = Expression.parse(task.forEach()).evaluate(bindings);
      fanOut(ctx, task, items);
    } catch (ExpressionException e) {
      ctx.failFinally(task.id(), new TaskError("weft.ExpressionError", e.getMessage(), false));
    }
  }

  private static void fanOut(RunContext ctx, TaskDefinition task, JsonNode items) {
    if (!items.isArray()) {
      ctx.failFinally(
          task.id(),
          new TaskError(
              "weft.ExpressionError",
              "forEach '" + task.forEach() + "' yielded " + items + ", not a list",
              false));
    } else if (items.size() > MAX_FAN_OUT) {
      ctx.failFinally(
          task.id(),
          new TaskError(
              "weft.FanOutTooLarge",
              "forEach '"
                  + task.forEach()
                  + "' yielded "
                  + items.size()
                  + " elements, more than "
                  + MAX_FAN_OUT,
              false));
    } else if (items.isEmpty()) {
      ctx.emit(new TaskSucceeded(task.id(), 0, Map.of(), Map.of(), "coordinator", 0L, null));
    } else {
      for (int i = 0; i < items.size(); i++) {
        String child = TaskIds.child(task.id(), i);
        ctx.schedule(child, ctx.task(child).getAttempt() + 1, items.get(i), items.size());
        if (!running(ctx) || ctx.task(task.id()).getStatus() == TaskStatus.FAILED) {
          return; // a child's params could not resolve: the fan-out failed
        }
      }
    }
  }

  /**
   * A fan-out succeeds when every child has (its count of succeeded children says so; no child is
   * read). It fails as soon as one child fails for good, which {@link RunContext#failFinally} sees.
   */
  private static boolean settleFanOuts(RunContext ctx) {
    boolean changed = false;
    for (TaskDefinition task : ctx.definition.tasks()) {
      TaskState parent = ctx.state().getTasks().get(task.id());
      if (task.forEach() == null
          || parent == null
          || parent.getStatus() != TaskStatus.RUNNING
          || parent.getChildren() == null
          || !running(ctx)) {
        continue;
      }
      if (succeededChildren(ctx, task.id(), parent) == parent.getChildren()) {
        succeed(ctx, task, parent.getChildren());
        changed = true;
      }
    }
    return changed;
  }

  /**
   * How many children of {@code parent} succeeded: its count, or, for a state written before the
   * count existed, the children counted once (the count is then kept with the state).
   */
  private static int succeededChildren(RunContext ctx, String parentId, TaskState parent) {
    if (parent.getSucceededChildren() == null) {
      int succeeded = 0;
      for (int i = 0; i < parent.getChildren(); i++) {
        TaskState child = ctx.state().getTasks().get(TaskIds.child(parentId, i));
        if (child != null && child.getStatus() == TaskStatus.SUCCEEDED) {
          succeeded++;
        }
      }
      parent.setSucceededChildren(succeeded);
    }
    return parent.getSucceededChildren();
  }

  /**
   * Every child of {@code task} succeeded: it succeeds with their outputs, unless those would pass
   * the size limit of a record, which fails it with {@code weft.TooLarge}.
   */
  private static void succeed(RunContext ctx, TaskDefinition task, int children) {
    Map<String, TaskOutput> outputs = aggregate(ctx, task.id(), children);
    long size = RecordSizes.ofOutputs(outputs);
    if (size > ctx.maxRecordBytes - RecordSizes.FIXED) {
      ctx.failFinally(
          task.id(),
          new TaskError(
              RunContext.TOO_LARGE,
              "the outputs of its "
                  + children
                  + " children, which it passes on as lists, would be about "
                  + size
                  + " bytes, over the limit of "
                  + ctx.maxRecordBytes
                  + " (weft.max.record.bytes); let the children write large outputs as"
                  + " artifacts, or fan out over fewer elements",
              false));
      return;
    }
    ctx.emit(new TaskSucceeded(task.id(), 0, outputs, Map.of(), "coordinator", 0L, null));
  }

  /** A fan-out's outputs: each output name with the list of its children's values, in order. */
  private static Map<String, TaskOutput> aggregate(RunContext ctx, String parentId, int children) {
    Map<String, ArrayNode> lists = new TreeMap<>();
    for (int i = 0; i < children; i++) {
      TaskState child = ctx.state().getTasks().get(TaskIds.child(parentId, i));
      for (var output : child.getOutputs().entrySet()) {
        ArrayNode list = lists.computeIfAbsent(output.getKey(), k -> JSON.createArrayNode());
        while (list.size() < i) {
          list.addNull();
        }
        list.add(RunBindings.value(output.getValue()));
      }
    }
    Map<String, TaskOutput> outputs = new TreeMap<>();
    lists.forEach(
        (name, list) -> {
          while (list.size() < children) {
            list.addNull();
          }
          outputs.put(name, new TaskOutput(list.toString(), null));
        });
    return outputs;
  }

  static boolean running(RunContext ctx) {
    return ctx.state().getStatus() == RunStatus.RUNNING;
  }

  static List<String> inFlightIds(RunContext ctx) {
    return ctx.state().getTasks().entrySet().stream()
        .filter(
            e ->
                e.getValue().getStatus() == TaskStatus.SCHEDULED
                    || e.getValue().getStatus() == TaskStatus.RUNNING)
        .map(Map.Entry::getKey)
        .toList();
  }
}

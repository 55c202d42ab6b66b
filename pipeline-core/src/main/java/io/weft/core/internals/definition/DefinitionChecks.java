package io.weft.core.internals.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.DefinitionLimits;
import io.weft.core.api.DefinitionProblem;
import io.weft.core.api.Durations;
import io.weft.core.api.Retry;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.expr.Expression;
import io.weft.core.internals.expr.ExpressionException;
import io.weft.core.internals.expr.MapBindings;
import io.weft.core.internals.expr.Reference;
import io.weft.core.internals.expr.Template;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The semantic checks of a workflow definition; see {@code WorkflowValidator}. */
public final class DefinitionChecks {

  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
  private static final int MAX_NAME_LENGTH = 100;
  private static final Duration MAX_TIMEOUT = Duration.ofDays(7);
  private static final int MAX_ATTEMPTS = 100;

  /** "Did you mean" hints per definition: each is a pass over the task ids. */
  private static final int MAX_SUGGESTIONS = 20;

  /** Cycles listed per definition. */
  private static final int MAX_CYCLES = 10;

  private final WorkflowDefinition definition;
  private final Optional<Set<String>> knownTypes;
  private final DefinitionLimits limits;
  private final List<DefinitionProblem> problems = new ArrayList<>();
  private final Map<String, TaskDefinition> byId = new LinkedHashMap<>();
  private final Map<String, Set<String>> upstreams = new HashMap<>();
  private TaskGraph graph;
  private int suggestions;

  public DefinitionChecks(
      WorkflowDefinition definition, Optional<Set<String>> knownTypes, DefinitionLimits limits) {
    this.definition = definition;
    this.knownTypes = knownTypes;
    this.limits = limits;
  }

  /**
   * Every problem found. A definition with more tasks than the limit is checked no further than
   * that: its graph is not one that will run, and checking it would cost time that grows faster
   * than its size.
   */
  public List<DefinitionProblem> run() {
    workflow();
    if (definition.tasks().size() > limits.maxTasks()) {
      return problems;
    }
    for (TaskDefinition task : definition.tasks()) {
      identity(task);
    }
    Map<String, List<String>> edges = new LinkedHashMap<>();
    byId.values().forEach(t -> edges.put(t.id(), t.dependsOn()));
    graph = new TaskGraph(edges);
    for (TaskDefinition task : byId.values()) {
      dependencies(task);
      retryAndTimeout(task);
      references(task);
    }
    List<List<String>> cycles = graph.cycles(MAX_CYCLES + 1);
    for (List<String> cycle : cycles.subList(0, Math.min(cycles.size(), MAX_CYCLES))) {
      problem("workflow", "tasks form a cycle: " + String.join(" -> ", cycle));
    }
    if (cycles.size() > MAX_CYCLES) {
      problem("workflow", "tasks form more cycles than these " + MAX_CYCLES);
    }
    return problems;
  }

  private void workflow() {
    String name = definition.name();
    if (!validName(name)) {
      problem(
          "workflow",
          "name '" + name + "' must match [a-z0-9-]+ (at most " + MAX_NAME_LENGTH + " characters)");
    }
    if (definition.version() < 1) {
      problem("workflow", "version must be a positive integer, got " + definition.version());
    }
    if (definition.tasks().isEmpty()) {
      problem("workflow", "has no tasks");
    }
    if (definition.tasks().size() > limits.maxTasks()) {
      problem(
          "workflow",
          "has "
              + definition.tasks().size()
              + " tasks, more than the limit of "
              + limits.maxTasks());
    }
    for (String param : definition.params().keySet()) {
      if (!Pattern.matches("[A-Za-z0-9_-]+", param)) {
        problem("workflow params", "parameter name '" + param + "' must match [A-Za-z0-9_-]+");
      }
    }
    int bytes = jsonBytes(definition.params());
    for (TaskDefinition task : definition.tasks()) {
      bytes += jsonBytes(task.params());
    }
    if (bytes > limits.maxParamsBytes()) {
      problem(
          "workflow",
          "parameters take " + bytes + " bytes, more than the limit of " + limits.maxParamsBytes());
    }
  }

  private void identity(TaskDefinition task) {
    String where = where(task);
    if (!validName(task.id())) {
      problem(where, "id must match [a-z0-9-]+ (at most " + MAX_NAME_LENGTH + " characters)");
    }
    if (byId.putIfAbsent(task.id(), task) != null) {
      problem(where, "duplicate task id '" + task.id() + "'");
    }
    if (!validName(task.type())) {
      problem(
          where,
          "type '"
              + task.type()
              + "' must match [a-z0-9-]+ (it names the topic weft.tasks.<type>)");
    } else if (knownTypes.isPresent() && !knownTypes.get().contains(task.type())) {
      problem(
          where,
          "task type '"
              + task.type()
              + "' is not served by any worker; known types: "
              + String.join(", ", knownTypes.get().stream().sorted().toList()));
    }
  }

  private void dependencies(TaskDefinition task) {
    String where = where(task);
    Set<String> seen = new HashSet<>();
    for (String dep : task.dependsOn()) {
      if (!seen.add(dep)) {
        problem(where, "lists dependency '" + dep + "' twice");
      } else if (dep.equals(task.id())) {
        problem(where, "depends on itself");
      } else if (!byId.containsKey(dep)) {
        String hint =
            ++suggestions > MAX_SUGGESTIONS
                ? ""
                : Suggestions.closest(dep, byId.keySet())
                    .map(s -> "; did you mean '" + s + "'?")
                    .orElse("");
        problem(where, "depends on '" + dep + "', which does not exist" + hint);
      }
    }
  }

  private void retryAndTimeout(TaskDefinition task) {
    String where = where(task) + " retry";
    Retry retry = task.retry();
    if (retry.maxAttempts() < 1 || retry.maxAttempts() > MAX_ATTEMPTS) {
      problem(
          where,
          "maxAttempts must be between 1 and " + MAX_ATTEMPTS + ", got " + retry.maxAttempts());
    }
    if (retry.initialBackoff().isNegative() || retry.initialBackoff().isZero()) {
      problem(
          where,
          "backoff.initial must be positive, got " + Durations.format(retry.initialBackoff()));
    }
    if (!(retry.multiplier() >= 1.0) || retry.multiplier() > 100) {
      problem(where, "backoff.multiplier must be between 1.0 and 100, got " + retry.multiplier());
    }
    if (retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
      problem(
          where,
          "backoff.max ("
              + Durations.format(retry.maxBackoff())
              + ") is shorter than backoff.initial ("
              + Durations.format(retry.initialBackoff())
              + ")");
    }
    checkTimeout(task, "timeout", task.timeout());
    checkTimeout(task, "queueTimeout", task.queueTimeout());
    task.resources().problems().forEach(p -> problem(where(task), p));
  }

  private void checkTimeout(TaskDefinition task, String key, Duration timeout) {
    if (timeout != null
        && (timeout.isZero() || timeout.isNegative() || timeout.compareTo(MAX_TIMEOUT) > 0)) {
      problem(
          where(task) + " " + key,
          "must be positive and at most 7 days, got " + Durations.format(timeout));
    }
  }

  private void references(TaskDefinition task) {
    String where = where(task);
    String of = task.id();
    boolean fanOut = task.forEach() != null;
    task.params()
        .forEach(
            (name, value) -> {
              try {
                Template.referencesIn(value)
                    .forEach(r -> reference(r, where + " params." + name, of, fanOut));
              } catch (ExpressionException e) {
                problem(where + " params." + name, e.getMessage());
              }
            });
    if (task.when() != null) {
      expression(task.when(), where + " when", of, fanOut);
    }
    if (fanOut) {
      Expression items = expression(task.forEach(), where + " forEach", of, false);
      if (items != null) {
        forEachYieldsList(items, where + " forEach");
      }
    }
  }

  private Expression expression(String text, String where, String of, boolean itemAllowed) {
    try {
      Expression expression = Expression.parse(text);
      expression.references().forEach(r -> reference(r, where, of, itemAllowed));
      return expression;
    } catch (ExpressionException e) {
      problem(where, e.getMessage());
      return null;
    }
  }

  /** Checks {@code ref}, made by task {@code of}. */
  private void reference(Reference ref, String where, String of, boolean itemAllowed) {
    switch (ref.kind()) {
      case PARAM -> {
        if (!definition.params().containsKey(ref.name())) {
          problem(
              where,
              "refers to " + ref + ", but the workflow declares no parameter '" + ref.name() + "'");
        }
      }
      case TASK_OUTPUT -> {
        if (!byId.containsKey(ref.taskId())) {
          problem(where, "refers to " + ref + ", but task '" + ref.taskId() + "' does not exist");
        } else if (!upstreamOf(of).contains(ref.taskId())) {
          problem(
              where,
              "refers to "
                  + ref
                  + ", but '"
                  + ref.taskId()
                  + "' is not upstream of this task (add it to dependsOn)");
        }
      }
      case ITEM -> {
        if (!itemAllowed) {
          problem(where, "refers to " + ref + " outside a forEach task");
        }
      }
    }
  }

  /** The tasks upstream of {@code id}, found once and only for a task that refers to an output. */
  private Set<String> upstreamOf(String id) {
    return upstreams.computeIfAbsent(id, graph::upstreamOf);
  }

  /** A forEach over literals and run parameters is checked now; over task outputs, at run time. */
  private void forEachYieldsList(Expression items, String where) {
    boolean static_ = items.references().stream().allMatch(r -> r.kind() == Reference.Kind.PARAM);
    if (!static_
        || items.references().stream().anyMatch(r -> !definition.params().containsKey(r.name()))) {
      return;
    }
    try {
      JsonNode value = items.evaluate(new MapBindings(definition.params(), Map.of(), null));
      if (!value.isArray()) {
        problem(where, "must yield a list, but '" + items.source() + "' yields " + value);
      }
    } catch (ExpressionException e) {
      problem(where, e.getMessage());
    }
  }

  private static boolean validName(String name) {
    return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
  }

  private static String where(TaskDefinition task) {
    return "task '" + task.id() + "'";
  }

  private static int jsonBytes(Map<String, JsonNode> params) {
    return params.entrySet().stream()
        .mapToInt(
            e ->
                e.getKey().length()
                    + e.getValue().toString().getBytes(StandardCharsets.UTF_8).length)
        .sum();
  }

  private void problem(String where, String message) {
    problems.add(new DefinitionProblem(where, message));
  }
}

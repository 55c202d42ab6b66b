package io.weft.core.internals.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.core.api.DefinitionProblem;
import io.weft.core.api.Durations;
import io.weft.core.api.InvalidDefinitionException;
import io.weft.core.api.OnFailure;
import io.weft.core.api.Resources;
import io.weft.core.api.Retry;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML form of a workflow into a {@link WorkflowDefinition}, collecting every structural
 * problem (unknown keys, wrong types, bad durations) rather than stopping at the first. Semantic
 * checks (cycles, references, limits) are the validator's.
 */
public final class YamlDefinitionReader {

  /** How much of a value, key or name a message shows. */
  private static final int MAX_SHOWN = 80;

  private static final Set<String> WORKFLOW_KEYS =
      Set.of("name", "version", "description", "params", "tasks");
  private static final Set<String> TASK_KEYS =
      Set.of(
          "id",
          "type",
          "dependsOn",
          "params",
          "retry",
          "timeout",
          "queueTimeout",
          "when",
          "forEach",
          "onFailure",
          "resources");
  private static final Set<String> RESOURCE_KEYS = Set.of("cpu", "memory", "gpu");
  private static final Set<String> RETRY_KEYS = Set.of("maxAttempts", "backoff");
  private static final Set<String> BACKOFF_KEYS = Set.of("initial", "multiplier", "max");

  private final String source;
  private final List<DefinitionProblem> problems = new ArrayList<>();

  private YamlDefinitionReader(String source) {
    this.source = source;
  }

  /**
   * Parses {@code yaml}; {@code source} names it in messages (a file name).
   *
   * @throws InvalidDefinitionException naming every structural problem
   */
  public static WorkflowDefinition read(String yaml, String source) {
    return new YamlDefinitionReader(source).read(yaml);
  }

  private WorkflowDefinition read(String yaml) {
    JsonNode root = YamlDocument.tree(yaml, source);
    if (root == null || !root.isObject()) {
      throw new InvalidDefinitionException(
          "in " + source,
          List.of(
              new DefinitionProblem(
                  "workflow", "expected a mapping with name, version and tasks")));
    }
    unknownKeys(root, WORKFLOW_KEYS, "workflow");
    String name = text(root, "name", "workflow", true);
    int version = integer(root, "version", "workflow", true, 0);
    String description = text(root, "description", "workflow", false);
    Map<String, JsonNode> params = mapping(root, "params", "workflow");
    List<TaskDefinition> tasks = new ArrayList<>();
    JsonNode taskNodes = root.get("tasks");
    if (taskNodes == null || taskNodes.isNull()) {
      problem("workflow", "has no tasks");
    } else if (!taskNodes.isArray()) {
      problem("workflow", "'tasks' must be a list of tasks");
    } else {
      for (int i = 0; i < taskNodes.size(); i++) {
        TaskDefinition task = task(taskNodes.get(i), i);
        if (task != null) {
          tasks.add(task);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidDefinitionException(describe(name, version), problems);
    }
    return new WorkflowDefinition(name, version, description, params, tasks);
  }

  private TaskDefinition task(JsonNode node, int index) {
    if (!node.isObject()) {
      problem("tasks[" + index + "]", "expected a mapping with id and type");
      return null;
    }
    String id = node.path("id").isTextual() ? node.get("id").asText() : null;
    String where = id == null ? "tasks[" + index + "]" : "task '" + shown(id) + "'";
    unknownKeys(node, TASK_KEYS, where);
    id = text(node, "id", where, true);
    String type = text(node, "type", where, true);
    List<String> dependsOn = stringList(node, "dependsOn", where);
    Map<String, JsonNode> params = mapping(node, "params", where);
    Retry retry = retry(node.get("retry"), where);
    Duration timeout = duration(node.get("timeout"), where + " timeout");
    Duration queueTimeout = duration(node.get("queueTimeout"), where + " queueTimeout");
    String when = text(node, "when", where, false);
    String forEach = text(node, "forEach", where, false);
    OnFailure onFailure = onFailure(node.get("onFailure"), where);
    Resources resources = resources(node.get("resources"), where);
    if (id == null || type == null) {
      return null;
    }
    return new TaskDefinition(
        id,
        type,
        dependsOn,
        params,
        retry,
        timeout,
        queueTimeout,
        when,
        forEach,
        onFailure,
        resources);
  }

  /** {@code resources: {cpu: 1.5, memory: 8Gi, gpu: 1}}; the values are checked by validation. */
  private Resources resources(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return Resources.NONE;
    }
    String at = where + " resources";
    if (!node.isObject()) {
      problem(at, "expected a mapping with cpu, memory and gpu");
      return Resources.NONE;
    }
    unknownKeys(node, RESOURCE_KEYS, at);
    Double cpu = null;
    JsonNode c = node.get("cpu");
    if (c != null && !c.isNull()) {
      if (c.isNumber()) {
        cpu = c.asDouble();
      } else {
        problem(at + ".cpu", "expected a number of cores, e.g. 2 or 0.5, got " + shown(c));
      }
    }
    Long memory = null;
    JsonNode m = node.get("memory");
    if (m != null && !m.isNull()) {
      if (m.asText().length() > MAX_SHOWN) {
        problem(at + ".memory", "expected a size such as 8Gi, got " + shown(m));
      } else {
        try {
          memory =
              m.isIntegralNumber() && m.canConvertToLong()
                  ? m.asLong()
                  : Resources.parseSize(m.asText());
        } catch (IllegalArgumentException e) {
          problem(at + ".memory", e.getMessage());
        }
      }
    }
    Integer gpu = null;
    JsonNode g = node.get("gpu");
    if (g != null && !g.isNull()) {
      if (g.canConvertToInt() && g.isIntegralNumber()) {
        gpu = g.asInt();
      } else {
        problem(at + ".gpu", "expected a whole number of GPUs, got " + shown(g));
      }
    }
    return new Resources(cpu, memory, gpu);
  }

  private Retry retry(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return Retry.NONE;
    }
    String at = where + " retry";
    if (!node.isObject()) {
      problem(at, "expected a mapping with maxAttempts and backoff");
      return Retry.NONE;
    }
    unknownKeys(node, RETRY_KEYS, at);
    int maxAttempts = integer(node, "maxAttempts", at, false, Retry.NONE.maxAttempts());
    Retry defaults = Retry.attempts(maxAttempts);
    JsonNode backoff = node.get("backoff");
    if (backoff == null || backoff.isNull()) {
      return defaults;
    }
    if (!backoff.isObject()) {
      problem(at + ".backoff", "expected a mapping with initial, multiplier and max");
      return defaults;
    }
    unknownKeys(backoff, BACKOFF_KEYS, at + ".backoff");
    Duration initial = duration(backoff.get("initial"), at + ".backoff.initial");
    Duration max = duration(backoff.get("max"), at + ".backoff.max");
    double multiplier = defaults.multiplier();
    JsonNode m = backoff.get("multiplier");
    if (m != null && !m.isNull()) {
      if (m.isNumber()) {
        multiplier = m.asDouble();
      } else {
        problem(at + ".backoff.multiplier", "expected a number, got " + shown(m));
      }
    }
    return new Retry(
        maxAttempts,
        initial == null ? defaults.initialBackoff() : initial,
        multiplier,
        max == null ? defaults.maxBackoff() : max);
  }

  private Duration duration(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      var parsed = Durations.parse(node.asText());
      if (parsed.isPresent()) {
        return parsed.get();
      }
    }
    problem(
        where,
        "bad duration " + shown(node) + ": expected a whole number with ms, s, m or h, e.g. 30s");
    return null;
  }

  private OnFailure onFailure(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return OnFailure.FAIL_RUN;
    }
    for (OnFailure value : OnFailure.values()) {
      if (value.yamlName().equals(node.asText())) {
        return value;
      }
    }
    problem(where + " onFailure", "expected fail-run or continue, got " + shown(node));
    return OnFailure.FAIL_RUN;
  }

  private String text(JsonNode parent, String key, String where, boolean required) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      if (required) {
        problem(where, "missing '" + key + "'");
      }
      return null;
    }
    if (!node.isValueNode() || node.isBinary()) {
      problem(
          where + " " + key, "expected a string, got " + node.getNodeType().name().toLowerCase());
      return null;
    }
    return node.asText();
  }

  private int integer(JsonNode parent, String key, String where, boolean required, int fallback) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      if (required) {
        problem(where, "missing '" + key + "'");
      }
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      problem(where + " " + key, "expected a whole number, got " + shown(node));
      return fallback;
    }
    return node.asInt();
  }

  private List<String> stringList(JsonNode parent, String key, String where) {
    JsonNode node = parent.get(key);
    List<String> values = new ArrayList<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (node.isTextual()) {
      values.add(node.asText());
      return values;
    }
    if (!node.isArray()) {
      problem(where + " " + key, "expected a list of task ids, got " + shown(node));
      return values;
    }
    node.forEach(
        v -> {
          if (v.isTextual()) {
            values.add(v.asText());
          } else {
            problem(where + " " + key, "expected task ids, got " + shown(v));
          }
        });
    return values;
  }

  private Map<String, JsonNode> mapping(JsonNode parent, String key, String where) {
    JsonNode node = parent.get(key);
    Map<String, JsonNode> values = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isObject()) {
      problem(where + " " + key, "expected a mapping of names to values, got " + shown(node));
      return values;
    }
    node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
    return values;
  }

  private void unknownKeys(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        String hint =
            Suggestions.closest(name, known).map(s -> "; did you mean '" + s + "'?").orElse("");
        problem(where, "unknown key '" + shown(name) + "'" + hint);
      }
    }
  }

  private void problem(String where, String message) {
    problems.add(new DefinitionProblem(where, message));
  }

  private String describe(String name, int version) {
    return (name == null ? "" : "'" + shown(name) + "' version " + version + " ") + "in " + source;
  }

  /** A value as a message shows it: its JSON text, shortened when long. */
  private static String shown(JsonNode value) {
    return shown(value.toString());
  }

  private static String shown(String text) {
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN - 3) + "...";
  }
}

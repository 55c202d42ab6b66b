package io.weft.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A workflow: a named, versioned DAG of tasks with run parameters and their defaults. Written in
 * YAML ({@link WorkflowYaml}) or built in Java ({@link #builder(String, int)}); either way it is
 * validated before it is registered.
 *
 * @param name {@code [a-z0-9-]+}
 * @param version positive; a registered version never changes
 * @param description free text, or null
 * @param params run parameters and their default values
 * @param tasks the tasks, in the order written
 */
public record WorkflowDefinition(
    String name,
    int version,
    String description,
    Map<String, JsonNode> params,
    List<TaskDefinition> tasks) {

  public WorkflowDefinition {
    Objects.requireNonNull(name, "name");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    tasks = List.copyOf(tasks);
  }

  /** The task with the given id. */
  public Optional<TaskDefinition> task(String id) {
    return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  /** {@code name:version}, the definition's key on the definitions topic. */
  public String key() {
    return key(name, version);
  }

  public static String key(String name, int version) {
    return name + ":" + version;
  }

  public static Builder builder(String name, int version) {
    return new Builder(name, version);
  }

  /** Builds a {@link WorkflowDefinition}; values are checked by validation, not here. */
  public static final class Builder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final int version;
    private String description;
    private final Map<String, JsonNode> params = new LinkedHashMap<>();
    private final List<TaskDefinition> tasks = new ArrayList<>();

    private Builder(String name, int version) {
      this.name = name;
      this.version = version;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** A run parameter with its default: a JSON value, or any value Jackson can turn into one. */
    public Builder param(String name, Object defaultValue) {
      params.put(
          name, defaultValue instanceof JsonNode node ? node : JSON.valueToTree(defaultValue));
      return this;
    }

    public Builder task(TaskDefinition task) {
      tasks.add(task);
      return this;
    }

    public Builder task(TaskDefinition.Builder task) {
      return task(task.build());
    }

    public WorkflowDefinition build() {
      return new WorkflowDefinition(name, version, description, params, tasks);
    }
  }
}

package io.weft.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task of a workflow: what runs ({@code type}), after what ({@code dependsOn}), with what
 * ({@code params}, which may hold {@code ${...}} references), and how it fails.
 *
 * @param id unique within the workflow, {@code [a-z0-9-]+}
 * @param type the task type, served by worker group {@code weft.workers.<type>}
 * @param dependsOn ids of the tasks that must succeed or be skipped first
 * @param params parameters as JSON values; strings may hold templates
 * @param retry attempts and backoff
 * @param timeout how long one attempt may run, from when a worker starts it; null for the engine's
 *     default
 * @param queueTimeout how long one attempt may wait for a worker to start it, from its dispatch;
 *     null to wait indefinitely
 * @param when condition that must hold for the task to run, or null
 * @param forEach expression yielding a list to fan out over, or null
 * @param onFailure what the task's final failure does to the run
 * @param resources what one attempt needs ({@link Resources#NONE} when nothing is declared)
 */
public record TaskDefinition(
    String id,
    String type,
    List<String> dependsOn,
    Map<String, JsonNode> params,
    Retry retry,
    Duration timeout,
    Duration queueTimeout,
    String when,
    String forEach,
    OnFailure onFailure,
    Resources resources) {

  public TaskDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    dependsOn = List.copyOf(dependsOn);
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    retry = retry == null ? Retry.NONE : retry;
    onFailure = onFailure == null ? OnFailure.FAIL_RUN : onFailure;
    resources = resources == null ? Resources.NONE : resources;
  }

  public static Builder builder(String id, String type) {
    return new Builder(id, type);
  }

  /** Builds a {@link TaskDefinition}; values are checked by validation, not here. */
  public static final class Builder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String id;
    private final String type;
    private final List<String> dependsOn = new ArrayList<>();
    private final Map<String, JsonNode> params = new LinkedHashMap<>();
    private Retry retry = Retry.NONE;
    private Duration timeout;
    private Duration queueTimeout;
    private String when;
    private String forEach;
    private OnFailure onFailure = OnFailure.FAIL_RUN;
    private Resources resources = Resources.NONE;

    private Builder(String id, String type) {
      this.id = id;
      this.type = type;
    }

    public Builder dependsOn(String... ids) {
      dependsOn.addAll(List.of(ids));
      return this;
    }

    /** A parameter: a JSON value, or any value Jackson can turn into one. */
    public Builder param(String name, Object value) {
      params.put(name, value instanceof JsonNode node ? node : JSON.valueToTree(value));
      return this;
    }

    public Builder retry(Retry retry) {
      this.retry = retry;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder queueTimeout(Duration queueTimeout) {
      this.queueTimeout = queueTimeout;
      return this;
    }

    public Builder when(String condition) {
      this.when = condition;
      return this;
    }

    public Builder forEach(String expression) {
      this.forEach = expression;
      return this;
    }

    public Builder onFailure(OnFailure onFailure) {
      this.onFailure = onFailure;
      return this;
    }

    /** What one attempt needs: cores, memory, GPUs (validation checks the values). */
    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    public TaskDefinition build() {
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
  }
}

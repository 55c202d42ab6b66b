package io.weft.core.internals.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.api.OnFailure;
import io.weft.core.api.Resources;
import io.weft.core.api.Retry;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.common.FailurePolicy;
import io.weft.schemas.common.RetryPolicy;
import io.weft.schemas.definitions.TaskDef;
import io.weft.schemas.definitions.WorkflowDef;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between the Java model of a definition and its Avro form on the definitions topic. */
public final class DefinitionCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DefinitionCodec() {}

  public static WorkflowDef toAvro(WorkflowDefinition definition, Instant registeredAt) {
    List<TaskDef> tasks = definition.tasks().stream().map(DefinitionCodec::toAvro).toList();
    return WorkflowDef.newBuilder()
        .setName(definition.name())
        .setVersion(definition.version())
        .setDescription(definition.description())
        .setParams(toJsonTexts(definition.params()))
        .setTasks(tasks)
        .setRegisteredAt(registeredAt)
        .build();
  }

  private static TaskDef toAvro(TaskDefinition task) {
    Retry r = task.retry();
    return TaskDef.newBuilder()
        .setId(task.id())
        .setType(task.type())
        .setDependsOn(task.dependsOn())
        .setParams(toJsonTexts(task.params()))
        .setRetry(
            new RetryPolicy(
                r.maxAttempts(),
                r.initialBackoff().toMillis(),
                r.multiplier(),
                r.maxBackoff().toMillis()))
        .setTimeoutMs(task.timeout() == null ? null : task.timeout().toMillis())
        .setQueueTimeoutMs(task.queueTimeout() == null ? null : task.queueTimeout().toMillis())
        .setWhen(task.when())
        .setForEach(task.forEach())
        .setOnFailure(FailurePolicy.valueOf(task.onFailure().name()))
        .setResources(task.resources().toAvro())
        .build();
  }

  public static WorkflowDefinition fromAvro(WorkflowDef def) {
    List<TaskDefinition> tasks = def.getTasks().stream().map(DefinitionCodec::fromAvro).toList();
    return new WorkflowDefinition(
        def.getName(),
        def.getVersion(),
        def.getDescription(),
        fromJsonTexts(def.getParams()),
        tasks);
  }

  private static TaskDefinition fromAvro(TaskDef task) {
    RetryPolicy r = task.getRetry();
    Retry retry =
        r == null
            ? Retry.NONE
            : new Retry(
                r.getMaxAttempts(),
                Duration.ofMillis(r.getInitialBackoffMs()),
                r.getBackoffMultiplier(),
                Duration.ofMillis(r.getMaxBackoffMs()));
    return new TaskDefinition(
        task.getId(),
        task.getType(),
        task.getDependsOn(),
        fromJsonTexts(task.getParams()),
        retry,
        task.getTimeoutMs() == null ? null : Duration.ofMillis(task.getTimeoutMs()),
        task.getQueueTimeoutMs() == null ? null : Duration.ofMillis(task.getQueueTimeoutMs()),
        task.getWhen(),
        task.getForEach(),
        OnFailure.valueOf(task.getOnFailure().name()),
        Resources.of(task.getResources()));
  }

  /** Each value as its JSON text, the way params travel in Avro. */
  public static Map<String, String> toJsonTexts(Map<String, JsonNode> values) {
    Map<String, String> texts = new LinkedHashMap<>();
    values.forEach((k, v) -> texts.put(k, v.toString()));
    return texts;
  }

  /** Parses each JSON text; a text that is not JSON is taken as a plain string. */
  public static Map<String, JsonNode> fromJsonTexts(Map<String, String> texts) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    texts.forEach((k, v) -> values.put(k, parseJson(v)));
    return values;
  }

  /** Parses a JSON text; a text that is not JSON is taken as a plain string. */
  public static JsonNode parseJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(text);
    }
  }
}

package io.weft.workers.internals;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.registry.SchemaRegistryException;
import io.weft.schemas.serde.UndecodableRecordException;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.OutputValue;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes and checks the records of one task type's topic: the {@link Triage} says whether to
 * execute, reject, dead-letter or retry each.
 */
public final class RecordReader {

  /** The error class of a request that cannot run as sent. */
  public static final String INVALID_REQUEST = "weft.InvalidRequest";

  private final String type;
  private final Deserializer<TaskRequest> deserializer;

  public RecordReader(String type, Deserializer<TaskRequest> deserializer) {
    this.type = type;
    this.deserializer = deserializer;
  }

  public Triage read(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return Triage.deadLetter(
          new InvalidTaskRequestException(
              "record has no value (a tombstone); a TaskRequest was expected"));
    }
    TaskRequest request;
    try {
      request = deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (UndecodableRecordException e) {
      return Triage.deadLetter(e.at(record.partition(), record.offset()));
    } catch (SchemaRegistryException e) {
      // unreachable, failing or refusing registry: not the record's fault
      return Triage.retryLater(e);
    } catch (RuntimeException e) {
      return Triage.deadLetter(e);
    }
    String problem = problem(record.key(), request);
    if (problem != null) {
      return Triage.deadLetter(new InvalidTaskRequestException(problem));
    }
    try {
      return Triage.execute(request, params(request), upstream(request));
    } catch (IllegalArgumentException e) {
      return Triage.reject(request, new TaskError(INVALID_REQUEST, e.getMessage(), false));
    }
  }

  private String problem(byte[] keyBytes, TaskRequest request) {
    String key = keyBytes == null ? null : new String(keyBytes, StandardCharsets.UTF_8);
    String expected = request.getRunId() + "/" + request.getTaskId();
    if (request.getRunId().isEmpty() || request.getTaskId().isEmpty()) {
      return "request has an empty runId or taskId (key '" + key + "')";
    }
    if (!expected.equals(key)) {
      return "record key '" + key + "' is not the request's runId/taskId '" + expected + "'";
    }
    if (!type.equals(request.getType())) {
      return "request "
          + expected
          + " is of type '"
          + request.getType()
          + "', but this topic serves type '"
          + type
          + "'";
    }
    if (request.getAttempt() < 1) {
      return "request " + expected + " has attempt " + request.getAttempt() + ", not >= 1";
    }
    return null;
  }

  private static Map<String, JsonNode> params(TaskRequest request) {
    Map<String, JsonNode> params = new LinkedHashMap<>();
    request
        .getParams()
        .forEach(
            (name, text) -> {
              try {
                params.put(name, Json.parse(text));
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "parameter '" + name + "' is not valid JSON: " + e.getMessage());
              }
            });
    return Collections.unmodifiableMap(params);
  }

  private static Map<String, Map<String, OutputValue>> upstream(TaskRequest request) {
    Map<String, Map<String, OutputValue>> upstream = new LinkedHashMap<>();
    request
        .getUpstream()
        .forEach(
            (taskId, outputs) ->
                upstream.put(
                    taskId, Collections.unmodifiableMap(TaskResults.fromAvro(taskId, outputs))));
    return Collections.unmodifiableMap(upstream);
  }
}

package io.weft.core.internals.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * How a run's state is laid out in the coordinator's stores, so that the cost of one event does not
 * grow with the run's fan-outs and a listing does not read every run:
 *
 * <ul>
 *   <li>{@code runs}: the run, keyed by run id, with every task but the forEach children;
 *   <li>{@code run-children}: each child's state, keyed {@code <runId>\t<childId>}, so that one
 *       child's result writes that child and the run, not all of its siblings;
 *   <li>{@code run-params}: the run's parameters, a JSON object of JSON texts keyed by run id,
 *       written once, so that a large parameter (the list a forEach fans out over) is not rewritten
 *       with every event;
 *   <li>{@code runs-by-start}: an index keyed {@code <status>\t<inverted start millis>\t<runId>},
 *       so that the newest runs of a status are the first keys of its prefix.
 * </ul>
 *
 * <p>The coordinator writes them; the query API and recovery read or write the same layout.
 */
public final class RunRecords {

  private static final char SEP = '\t';
  private static final StringSerializer STRINGS = new StringSerializer();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> PARAMS_TYPE = new TypeReference<>() {};

  private RunRecords() {}

  /** Parameters larger than this (their encoded texts) are stored apart from the run, once. */
  static final int INLINE_PARAMS_BYTES = 1024;

  /** Whether {@code state}'s parameters are stored apart from its record (they are large). */
  public static boolean paramsApart(RunState state) {
    return RecordSizes.ofStrings(state.getParams()) > INLINE_PARAMS_BYTES;
  }

  /** The {@code runs} record of {@code state}: the run without its children. */
  public static RunState withoutChildren(RunState state, boolean withParams) {
    return withTasks(state, state.getTasks().keySet(), withParams);
  }

  /**
   * The {@code runs} record of {@code state} when {@code ids} holds the ids of its tasks that are
   * not forEach children (and may hold children, which are left out): reads those tasks only.
   */
  static RunState withTasks(RunState state, Collection<String> ids, boolean withParams) {
    Map<String, TaskState> tasks = new HashMap<>();
    for (String id : ids) {
      TaskState task = state.getTasks().get(id);
      if (task != null && !TaskIds.isChild(id)) {
        tasks.put(id, task);
      }
    }
    return new RunState(
        state.getRunId(),
        state.getWorkflowName(),
        state.getWorkflowVersion(),
        state.getRunKey(),
        withParams ? state.getParams() : Map.of(),
        state.getStatus(),
        tasks,
        state.getPaused(),
        state.getError(),
        state.getFailedTaskId(),
        state.getNextSequence(),
        state.getStartedAt(),
        state.getFinishedAt());
  }

  /** Whether a {@code runs} record has fanned out, so that its children are stored apart. */
  static boolean hasFanOut(RunState run) {
    for (TaskState task : run.getTasks().values()) {
      if (task.getChildren() != null) {
        return true;
      }
    }
    return false;
  }

  /** The key of child {@code childId} of run {@code runId} in {@code run-children}. */
  public static String childKey(String runId, String childId) {
    return runId + SEP + childId;
  }

  /** The prefix of every child key of run {@code runId}. */
  static String childPrefix(String runId) {
    return runId + SEP;
  }

  /** The child id of a child key of {@code runId}, or null if the key is another run's. */
  static String childIdOf(String runId, String key) {
    String rest = key.substring(childPrefix(runId).length());
    return rest.indexOf(SEP) >= 0 ? null : rest;
  }

  /** Run {@code runId} as stored, its parameters and children put back; null if it has none. */
  public static RunState load(
      ReadOnlyKeyValueStore<String, RunState> runs,
      ReadOnlyKeyValueStore<String, TaskState> children,
      ReadOnlyKeyValueStore<String, String> params,
      String runId) {
    RunState run = runs.get(runId);
    if (run != null) {
      putParamsBack(params, run);
      putChildrenBack(children, run);
    }
    return run;
  }

  /**
   * Puts the parameters of {@code run}, a {@code runs} record, back; returns whether it has a
   * {@code run-params} record (one written by an earlier version holds its parameters itself).
   */
  static boolean putParamsBack(ReadOnlyKeyValueStore<String, String> params, RunState run) {
    String text = params.get(run.getRunId());
    if (text == null) {
      return false;
    }
    run.setParams(decodeParams(text));
    return true;
  }

  /** A run's parameters as one {@code run-params} value. */
  public static String encodeParams(Map<String, String> params) {
    try {
      return JSON.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("parameters cannot be written as JSON", e);
    }
  }

  static Map<String, String> decodeParams(String text) {
    try {
      return new HashMap<>(JSON.readValue(text, PARAMS_TYPE));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a run-params record is not a JSON object of texts", e);
    }
  }

  /** Puts the children of {@code run}, a {@code runs} record, back into its tasks. */
  static void putChildrenBack(ReadOnlyKeyValueStore<String, TaskState> children, RunState run) {
    if (!hasFanOut(run)) {
      return;
    }
    String runId = run.getRunId();
    try (KeyValueIterator<String, TaskState> it =
        children.prefixScan(childPrefix(runId), STRINGS)) {
      while (it.hasNext()) {
        var entry = it.next();
        String childId = childIdOf(runId, entry.key);
        if (childId != null && entry.value != null) {
          run.getTasks().put(childId, entry.value);
        }
      }
    }
  }

  /** The index key of a run with {@code status} that started at {@code startedAt}. */
  public static String indexKey(RunStatus status, Instant startedAt, String runId) {
    long inverted = Long.MAX_VALUE - Math.max(0, startedAt.toEpochMilli());
    return status.name() + SEP + String.format("%019d", inverted) + SEP + runId;
  }

  /** The prefix of the index keys of runs with {@code status}, newest first. */
  public static String indexPrefix(RunStatus status) {
    return status.name() + SEP;
  }

  /** The run id of an index key. */
  public static String runIdOfIndexKey(String key) {
    int second = key.indexOf(SEP, key.indexOf(SEP) + 1);
    return key.substring(second + 1);
  }

  /** The start of the run of an index key. */
  public static Instant startOfIndexKey(String key) {
    int first = key.indexOf(SEP);
    int second = key.indexOf(SEP, first + 1);
    return Instant.ofEpochMilli(Long.MAX_VALUE - Long.parseLong(key.substring(first + 1, second)));
  }
}

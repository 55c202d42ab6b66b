package io.weft.core.internals.coordinator;

import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import java.time.Instant;
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
 *   <li>{@code runs-by-start}: an index keyed {@code <status>\t<inverted start millis>\t<runId>},
 *       so that the newest runs of a status are the first keys of its prefix.
 * </ul>
 *
 * <p>The coordinator writes them; the query API and recovery read or write the same layout.
 */
public final class RunRecords {

  private static final char SEP = '\t';
  private static final StringSerializer STRINGS = new StringSerializer();

  private RunRecords() {}

  /** The {@code runs} record of {@code state}: the run without its forEach children. */
  public static RunState withoutChildren(RunState state) {
    Map<String, TaskState> tasks = new HashMap<>();
    state
        .getTasks()
        .forEach(
            (id, task) -> {
              if (!TaskIds.isChild(id)) {
                tasks.put(id, task);
              }
            });
    return new RunState(
        state.getRunId(),
        state.getWorkflowName(),
        state.getWorkflowVersion(),
        state.getRunKey(),
        state.getParams(),
        state.getStatus(),
        tasks,
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

  /** Run {@code runId} as stored, its children put back; null if it has no state. */
  public static RunState load(
      ReadOnlyKeyValueStore<String, RunState> runs,
      ReadOnlyKeyValueStore<String, TaskState> children,
      String runId) {
    RunState run = runs.get(runId);
    if (run != null && hasFanOut(run)) {
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
    return run;
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

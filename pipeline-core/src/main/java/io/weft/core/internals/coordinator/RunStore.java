package io.weft.core.internals.coordinator;

import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The run processor's view of its run states, in the layout of {@link RunRecords}: reads put a
 * run's children back, writes store what a step's events changed, and the index follows each run's
 * status. The states most recently used stay decoded in memory (up to {@link #MAX_CACHED_TASKS}
 * task states), so that an event of a large run neither decodes nor re-encodes all its tasks. The
 * engine changes the states it is given in place: after a step that is not written, {@link #evict}
 * drops the copy so that the next read is the stored state.
 */
final class RunStore {

  /** Task states kept decoded, summed over the cached runs. */
  static final int MAX_CACHED_TASKS = 200_000;

  private static final StringSerializer STRINGS = new StringSerializer();

  private final KeyValueStore<String, RunState> runs;
  private final KeyValueStore<String, TaskState> children;
  private final KeyValueStore<String, String> params;
  private final KeyValueStore<String, String> index;
  private final int maxRecordBytes;
  private final Map<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true);
  private long cachedTasks;

  /**
   * A decoded run, the status its index entry has, and the ids of its tasks that are not forEach
   * children (what its {@code runs} record holds), so that writing it reads no child.
   */
  private record Cached(
      RunState state, RunStatus indexed, Set<String> mainIds, boolean paramsApart, int weight) {}

  RunStore(
      KeyValueStore<String, RunState> runs,
      KeyValueStore<String, TaskState> children,
      KeyValueStore<String, String> params,
      KeyValueStore<String, String> index,
      int maxRecordBytes) {
    this.runs = runs;
    this.children = children;
    this.params = params;
    this.index = index;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Brings stores written by an earlier version into this layout, once: if the index is empty, each
   * run gets its index entry, and its children and parameters are stored apart from its record.
   * Returns the runs it indexed.
   */
  int migrate() {
    try (KeyValueIterator<String, String> any = index.all()) {
      if (any.hasNext()) {
        return 0;
      }
    }
    List<RunState> all = new ArrayList<>();
    try (KeyValueIterator<String, RunState> it = runs.all()) {
      it.forEachRemaining(kv -> all.add(kv.value));
    }
    for (RunState run : all) {
      String runId = run.getRunId();
      run.getTasks()
          .forEach(
              (id, task) -> {
                if (TaskIds.isChild(id)) {
                  children.put(RunRecords.childKey(runId, id), task);
                }
              });
      boolean apart = RunRecords.paramsApart(run);
      if (apart) {
        params.put(runId, RunRecords.encodeParams(run.getParams()));
      }
      runs.put(runId, RunRecords.withTasks(run, run.getTasks().keySet(), !apart));
      index.put(RunRecords.indexKey(run.getStatus(), run.getStartedAt(), runId), "");
    }
    return all.size();
  }

  /** Run {@code runId}'s state, children included; null if it has none. */
  RunState get(String runId) {
    Cached cached = cache.get(runId);
    if (cached != null) {
      return cached.state();
    }
    RunState state = runs.get(runId);
    if (state != null) {
      Set<String> mainIds = new HashSet<>(state.getTasks().keySet());
      boolean paramsApart = RunRecords.putParamsBack(params, state);
      RunRecords.putChildrenBack(children, state);
      remember(runId, state, state.getStatus(), mainIds, paramsApart);
    }
    return state;
  }

  /**
   * Writes {@code state}, the state after {@code events}: the run's record, the children the events
   * changed and, if its status changed, its index entry.
   *
   * @throws StateTooLargeException if the run's record would pass the limit (nothing is written)
   */
  void put(String runId, RunState state, List<RunEvent> events) {
    Cached cached = cache.get(runId);
    RunStatus indexed = cached == null ? null : cached.indexed();
    Set<String> mainIds =
        cached == null ? new HashSet<>(state.getTasks().keySet()) : cached.mainIds();
    Set<String> changedChildren = new HashSet<>();
    for (RunEvent event : events) {
      String taskId = taskIdOf(event.getEvent());
      if (taskId != null && TaskIds.isChild(taskId)) {
        changedChildren.add(taskId);
        mainIds.add(TaskIds.base(taskId)); // a child's first event may create its parent
      } else if (taskId != null) {
        mainIds.add(taskId);
      } else if (Inputs.endsRun(event)) {
        changedChildren.addAll(cancelledAtEnd(state));
      }
    }
    boolean paramsApart;
    String paramsText = null;
    if (cached != null) {
      paramsApart = cached.paramsApart();
    } else { // a new run: its parameters are written now, apart if they are large
      paramsApart = RunRecords.paramsApart(state);
      if (paramsApart) {
        paramsText = RunRecords.encodeParams(state.getParams());
        int size = Utils.utf8Length(paramsText);
        if (size > maxRecordBytes) {
          throw new StateTooLargeException(size, maxRecordBytes);
        }
      }
    }
    runs.put(runId, RunRecords.withTasks(state, mainIds, !paramsApart));
    if (paramsText != null) {
      params.put(runId, paramsText);
    }
    for (String childId : changedChildren) {
      TaskState child = state.getTasks().get(childId);
      if (child != null) {
        children.put(RunRecords.childKey(runId, childId), child);
      }
    }
    if (indexed != state.getStatus()) {
      if (indexed != null) {
        index.delete(RunRecords.indexKey(indexed, state.getStartedAt(), runId));
      }
      index.put(RunRecords.indexKey(state.getStatus(), state.getStartedAt(), runId), "");
    }
    if (state.getStatus() == RunStatus.RUNNING) {
      remember(runId, state, state.getStatus(), mainIds, paramsApart);
    } else {
      evict(runId); // a finished run's next input, if any, reads it again
    }
  }

  /** Deletes run {@code runId}'s records: the run, its children and its index entry. */
  void delete(String runId) {
    RunState state = get(runId);
    evict(runId);
    if (state == null) {
      return;
    }
    runs.delete(runId);
    params.delete(runId);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, TaskState> it =
        children.prefixScan(RunRecords.childPrefix(runId), STRINGS)) {
      it.forEachRemaining(
          kv -> {
            if (RunRecords.childIdOf(runId, kv.key) != null) {
              keys.add(kv.key);
            }
          });
    }
    keys.forEach(children::delete);
    index.delete(RunRecords.indexKey(state.getStatus(), state.getStartedAt(), runId));
  }

  /** Forgets the decoded copy of run {@code runId}, which a failed step may have changed. */
  void evict(String runId) {
    Cached dropped = cache.remove(runId);
    if (dropped != null) {
      cachedTasks -= dropped.weight();
    }
  }

  /** Forgets every decoded copy (the task's stores were restored or closed). */
  void clear() {
    cache.clear();
    cachedTasks = 0;
  }

  private void remember(
      String runId, RunState state, RunStatus indexed, Set<String> mainIds, boolean paramsApart) {
    evict(runId);
    int weight = 1 + state.getTasks().size();
    cache.put(runId, new Cached(state, indexed, mainIds, paramsApart, weight));
    cachedTasks += weight;
    Iterator<Map.Entry<String, Cached>> eldest = cache.entrySet().iterator();
    while (cachedTasks > MAX_CACHED_TASKS && cache.size() > 1) {
      Cached dropped = eldest.next().getValue();
      eldest.remove();
      cachedTasks -= dropped.weight();
    }
  }

  /** The children in flight that the run's end cancelled (read once, as the run ends). */
  private static List<String> cancelledAtEnd(RunState state) {
    return state.getTasks().entrySet().stream()
        .filter(
            e ->
                TaskIds.isChild(e.getKey())
                    && e.getValue().getStatus() == TaskStatus.CANCELLED
                    && Objects.equals(e.getValue().getFinishedAt(), state.getFinishedAt()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The task an event is about, or null for an event of the run. */
  private static String taskIdOf(Object event) {
    if (event instanceof SpecificRecord record) {
      Schema.Field field = record.getSchema().getField("taskId");
      if (field != null) {
        Object value = record.get(field.pos());
        return value == null ? null : value.toString();
      }
    }
    return null;
  }
}

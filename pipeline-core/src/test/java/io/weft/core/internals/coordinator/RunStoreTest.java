package io.weft.core.internals.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import io.weft.schemas.registry.InMemorySchemaRegistry;
import io.weft.schemas.serde.AvroSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The run processor's store layer, on in-memory stores. */
class RunStoreTest {

  static {
    GeneratedClasses.trust();
  }

  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
  // one registry per store: the mock context names every store's changelog "changelog"
  private static final Map<String, Object> RUNS_SERDE =
      Map.of("schema.registry.url", "mock://run-store-test-runs");
  private static final Map<String, Object> CHILDREN_SERDE =
      Map.of("schema.registry.url", "mock://run-store-test-children");

  private final KeyValueStore<String, RunState> runs =
      store("runs", AvroSerde.forValues(RunState.class, RUNS_SERDE));
  private final KeyValueStore<String, TaskState> children =
      store("run-children", AvroSerde.forValues(TaskState.class, CHILDREN_SERDE));
  private final KeyValueStore<String, String> params = store("run-params", Serdes.String());
  private final KeyValueStore<String, String> index = store("runs-by-start", Serdes.String());
  private final RunStore store = new RunStore(runs, children, params, index, 1_000_000);

  private <V> KeyValueStore<String, V> store(String name, Serde<V> serde) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  /** A running run fanned out to {@code n} children, all in its own record. */
  private static RunState fannedOut(String runId, int n) {
    Map<String, TaskState> tasks = new HashMap<>();
    tasks.put("each", TaskState.newBuilder().setStatus(TaskStatus.RUNNING).setChildren(n).build());
    for (int i = 0; i < n; i++) {
      tasks.put(
          TaskIds.child("each", i), TaskState.newBuilder().setStatus(TaskStatus.SCHEDULED).build());
    }
    return RunState.newBuilder()
        .setRunId(runId)
        .setWorkflowName("fan")
        .setWorkflowVersion(1)
        .setStatus(RunStatus.RUNNING)
        .setParams(Map.of("grid", "[1,2,3]"))
        .setTasks(tasks)
        .setStartedAt(Instant.parse("2026-12-01T00:00:00Z"))
        .build();
  }

  @AfterAll
  static void dropRegistry() {
    InMemorySchemaRegistry.drop("run-store-test-runs");
    InMemorySchemaRegistry.drop("run-store-test-children");
  }

  @Test
  void shouldBringRunsStoredWithTheirChildrenInsideIntoTheLayoutOnce() {
    // given: two runs as an earlier version stored them (children inside, no index)
    runs.put("r-1", fannedOut("r-1", 50));
    runs.put("r-2", fannedOut("r-2", 3));

    // when
    int migrated = store.migrate();
    int again = store.migrate();

    // then: each run's record holds no child, its children are apart, each run is indexed once
    assertThat(migrated).isEqualTo(2);
    assertThat(again).isZero();
    assertThat(runs.get("r-1").getTasks()).containsOnlyKeys("each");
    assertThat(runs.get("r-1").getParams()).containsEntry("grid", "[1,2,3]"); // small: inline
    assertThat(params.get("r-1")).isNull();
    assertThat(children.approximateNumEntries()).isEqualTo(53);
    List<String> keys = new ArrayList<>();
    try (var it = index.all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    assertThat(keys).hasSize(2).allMatch(k -> k.startsWith("RUNNING\t"));
    assertThat(store.get("r-1").getTasks()).hasSize(51);
    assertThat(store.get("r-1").getParams()).containsEntry("grid", "[1,2,3]");
  }

  @Test
  void shouldKeepLargeParamsApartFromTheRunsRecord() {
    // given: a run whose params are over 1 KB, as an earlier version stored it
    RunState run = fannedOut("r-1", 1);
    run.setParams(Map.of("grid", "[" + "1,".repeat(1000) + "1]"));
    runs.put("r-1", run);

    // when
    store.migrate();

    // then
    assertThat(runs.get("r-1").getParams()).isEmpty();
    assertThat(params.get("r-1")).startsWith("{\"grid\":\"[1,1,");
    assertThat(store.get("r-1").getParams().get("grid")).hasSize(2003);
  }

  @Test
  void shouldReadTheStoredStateAgainAfterAnEviction() {
    // given: a run read, then changed in memory by a step that is not written
    runs.put("r-1", fannedOut("r-1", 2));
    store.migrate();
    store.get("r-1").getTasks().get("each[0]").setStatus(TaskStatus.FAILED);

    // when
    store.evict("r-1");

    // then
    assertThat(store.get("r-1").getTasks().get("each[0]").getStatus())
        .isEqualTo(TaskStatus.SCHEDULED);
  }

  @Test
  void shouldDeleteARunsRecordChildrenAndIndexEntry() {
    // given
    RunState run = fannedOut("r-1", 5);
    runs.put("r-1", run);
    store.migrate();

    // when
    store.delete("r-1");

    // then
    assertThat(runs.get("r-1")).isNull();
    assertThat(children.approximateNumEntries()).isZero();
    assertThat(params.approximateNumEntries()).isZero();
    assertThat(index.approximateNumEntries()).isZero();
    assertThat(store.get("r-1")).isNull();
  }
}

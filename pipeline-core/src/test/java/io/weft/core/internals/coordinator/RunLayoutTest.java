package io.weft.core.internals.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import io.weft.schemas.internal.TaskStatus;
import io.weft.schemas.tasks.TaskRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** How the coordinator lays a run out in its stores (see {@link RunRecords}). */
class RunLayoutTest extends TopologyTestBase {

  private static final int CHILDREN = 400; // its grid param, over 1 KB, is kept apart

  private void registerFanOut() {
    register(
        WorkflowDefinition.builder("fan", 1)
            .param("grid", IntStream.range(0, CHILDREN).boxed().toList())
            .task(TaskDefinition.builder("each", "noop").forEach("${params.grid}"))
            .task(TaskDefinition.builder("after", "noop").dependsOn("each"))
            .build());
  }

  private TestOutputTopic<byte[], byte[]> changelog(String store) {
    return driver.createOutputTopic(
        "weft-coordinator-test-" + store + "-changelog",
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  @Test
  void shouldWriteOneChildsResultAsThatChildAndTheRunNotItsSiblingsNorItsParams() {
    // given: a run fanned out to 400 children
    registerFanOut();
    start("r-fan", "fan");
    List<TaskRequest> children = tasks.readValuesToList();
    TestOutputTopic<byte[], byte[]> runs = changelog(CoordinatorTopology.RUNS_STORE);
    TestOutputTopic<byte[], byte[]> childRecords = changelog(CoordinatorTopology.CHILDREN_STORE);
    runs.readRecordsToList();
    childRecords.readRecordsToList();

    // when
    succeed(children.get(7));

    // then: one child record, and a run record that holds no child
    List<TestRecord<byte[], byte[]>> written = childRecords.readRecordsToList();
    assertThat(written).hasSize(1);
    assertThat(new String(written.get(0).key())).isEqualTo("r-fan\teach[7]");
    List<TestRecord<byte[], byte[]>> run = runs.readRecordsToList();
    assertThat(run).hasSize(1);
    assertThat(run.get(0).value().length).isLessThan(1024);
    KeyValueStore<String, RunState> stored =
        driver.getKeyValueStore(CoordinatorTopology.RUNS_STORE);
    assertThat(stored.get("r-fan").getTasks()).containsOnlyKeys("each");
    assertThat(stored.get("r-fan").getParams()).isEmpty(); // kept apart, written once
  }

  @Test
  void shouldRunAFanOutToItsEndWithItsChildrenStoredApart() {
    // given
    registerFanOut();
    start("r-fan", "fan");

    // when
    tasks.readValuesToList().forEach(this::succeed);
    succeed(tasks.readValue()); // after

    // then
    KeyValueStore<String, RunState> runs = driver.getKeyValueStore(CoordinatorTopology.RUNS_STORE);
    assertThat(runs.get("r-fan").getStatus()).isEqualTo(RunStatus.SUCCEEDED);
    KeyValueStore<String, TaskState> children =
        driver.getKeyValueStore(CoordinatorTopology.CHILDREN_STORE);
    List<TaskStatus> statuses = new ArrayList<>();
    try (var it = children.all()) {
      it.forEachRemaining(kv -> statuses.add(kv.value.getStatus()));
    }
    assertThat(statuses).hasSize(CHILDREN).containsOnly(TaskStatus.SUCCEEDED);
  }

  @Test
  void shouldIndexRunsByStatusNewestFirst() {
    // given
    register(
        WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("a", "noop")).build());
    start("r-old", "one");
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    start("r-new", "one");

    // when: the older run ends
    succeed(tasks.readValuesToList().get(0));

    // then: one entry per run, under its current status
    KeyValueStore<String, String> index = driver.getKeyValueStore(CoordinatorTopology.INDEX_STORE);
    List<String> keys = new ArrayList<>();
    try (var it = index.all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0)).startsWith("RUNNING\t").endsWith("\tr-new");
    assertThat(keys.get(1)).startsWith("SUCCEEDED\t").endsWith("\tr-old");
  }
}

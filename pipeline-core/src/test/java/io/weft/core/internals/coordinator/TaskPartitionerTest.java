package io.weft.core.internals.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskPartitionerTest {

  private final TaskPartitioner partitioner = new TaskPartitioner();

  @Test
  void shouldPutTheChildrenOfAFanOutOnDistinctPartitions() {
    for (String run : new String[] {"run-1", "7d3c0a5e-1f0b-4a4e-9a53-0c7d1e2f3a4b", "x"}) {
      Set<Integer> used = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        used.addAll(partitioner.partitions("t", run + "/train[" + i + "]", null, 6).orElseThrow());
      }
      assertThat(used).as(run).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }
  }

  @Test
  void shouldLeaveOtherTasksToTheDefaultPartitioner() {
    assertThat(partitioner.partitions("t", "run-1/train", null, 6)).isEmpty();
  }
}

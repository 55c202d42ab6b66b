package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  @Test
  void shouldGroupThreadsByTheirNamesWithoutNumbers() {
    assertThat(ThreadCpu.group("kafka-producer-network-thread | producer-7"))
        .isEqualTo(ThreadCpu.group("kafka-producer-network-thread | producer-12"))
        .isEqualTo("kafka-producer-network-thread | producer-#");
    assertThat(
            ThreadCpu.group(
                "obs-1f2e3d4c.coordinator-0b8e6c1a-3f1e-4a5b-9c7d-2e1f0a9b8c7d-StreamThread-1"))
        .isEqualTo("obs-*.coordinator-*-StreamThread-#");
  }

  @Test
  void shouldCountWhatEachGroupSpentBetweenTwoSnapshots() {
    ThreadCpu.Snapshot before =
        new ThreadCpu.Snapshot(
            Map.of(1L, 100L, 2L, 50L, 3L, 10L), Map.of(1L, "a-#", 2L, "a-#", 3L, "b"));
    ThreadCpu.Snapshot after =
        new ThreadCpu.Snapshot(
            Map.of(1L, 130L, 2L, 60L, 4L, 999L), Map.of(1L, "a-#", 2L, "a-#", 4L, "c"));

    // threads 1 and 2 are counted together; 3 ended and 4 started in between: left out
    assertThat(after.since(before)).containsExactlyEntriesOf(Map.of("a-#", 40L));
  }

  @Test
  void shouldSeeThisThreadSpendCpu() {
    ThreadCpu.Snapshot before = ThreadCpu.snapshot();
    long sum = 0;
    for (int i = 0; i < 50_000_000; i++) {
      sum += i % 7;
    }
    assertThat(sum).isPositive();

    assertThat(ThreadCpu.snapshot().since(before))
        .containsKey(ThreadCpu.group(Thread.currentThread().getName()))
        .allSatisfy((group, nanos) -> assertThat(nanos).isNotNegative());
    assertThat(
            ThreadCpu.snapshot()
                .since(before)
                .get(ThreadCpu.group(Thread.currentThread().getName())))
        .isPositive();
  }
}

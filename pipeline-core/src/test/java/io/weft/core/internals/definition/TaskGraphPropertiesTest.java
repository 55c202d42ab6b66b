package io.weft.core.internals.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The task graph agrees with a reference topological sort on random DAGs from fixed seeds. */
class TaskGraphPropertiesTest {

  static Stream<Long> seeds() {
    return LongStream.range(0, 300).boxed();
  }

  /**
   * A random DAG from {@code seed}: {@code minTasks} to 40 tasks, task i depending on some tasks
   * before it, ids shuffled and the tasks listed in a shuffled order, as a user might write them.
   */
  static Map<String, List<String>> dag(long seed, int minTasks) {
    Random random = new Random(seed);
    int n = minTasks + random.nextInt(41 - minTasks);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("t" + i);
    }
    Collections.shuffle(names, random);
    Map<String, List<String>> deps = new HashMap<>();
    for (int i = 0; i < n; i++) {
      List<String> d = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (random.nextInt(4) == 0) {
          d.add(names.get(j));
        }
      }
      deps.put(names.get(i), d);
    }
    List<String> listed = new ArrayList<>(names);
    Collections.shuffle(listed, random);
    Map<String, List<String>> shuffled = new LinkedHashMap<>();
    listed.forEach(id -> shuffled.put(id, deps.get(id)));
    return shuffled;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void shouldOrderEveryTaskAfterItsDependencies(long seed) {
    Map<String, List<String>> deps = dag(seed, 1);

    // when
    List<String> order = new TaskGraph(deps).topologicalOrder();

    // then: a permutation of all tasks, each after its dependencies, as the reference sort requires
    assertThat(order).containsExactlyInAnyOrderElementsOf(deps.keySet());
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    deps.forEach(
        (id, ds) -> ds.forEach(d -> assertThat(position.get(d)).isLessThan(position.get(id))));
    assertThat(referenceSortExists(deps)).isTrue();
    assertThat(new TaskGraph(deps).cycles()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void shouldFindACycleWhenABackEdgeIsAdded(long seed) {
    // at least two tasks: one alone would make a self-loop, which is reported apart
    Map<String, List<String>> deps = dag(seed, 2);

    // given: an edge from a task to one of its descendants closes a cycle, if it has any
    List<String> order = new TaskGraph(deps).topologicalOrder();
    String first = order.get(0);
    String last = order.get(order.size() - 1);
    boolean reachable = new TaskGraph(deps).upstreamOf(last).contains(first);
    Map<String, List<String>> cyclic = new LinkedHashMap<>(deps);
    List<String> firstDeps = new ArrayList<>(deps.get(first));
    firstDeps.add(last);
    cyclic.put(first, firstDeps);

    // when
    List<List<String>> cycles = new TaskGraph(cyclic).cycles();

    // then: a cycle is reported exactly when the reference sort fails
    assertThat(!cycles.isEmpty()).isEqualTo(!referenceSortExists(cyclic));
    assertThat(!cycles.isEmpty()).isEqualTo(reachable);
    for (List<String> cycle : cycles) {
      assertThat(cycle.get(0)).isEqualTo(cycle.get(cycle.size() - 1));
      for (int i = 0; i + 1 < cycle.size(); i++) {
        assertThat(cyclic.get(cycle.get(i))).contains(cycle.get(i + 1));
      }
    }
  }

  /** Reference: repeatedly remove a task with no remaining dependencies (Kahn, by sets). */
  private static boolean referenceSortExists(Map<String, List<String>> deps) {
    Set<String> done = new HashSet<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (var e : deps.entrySet()) {
        if (!done.contains(e.getKey()) && done.containsAll(e.getValue())) {
          done.add(e.getKey());
          progress = true;
        }
      }
    }
    return done.size() == deps.size();
  }
}

package io.weft.core.internals.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The task graph agrees with a reference topological sort on random DAGs. */
class TaskGraphPropertiesTest {

  /** A random DAG: task i may depend only on tasks with a smaller index, then ids are shuffled. */
  @Provide
  Arbitrary<Map<String, List<String>>> dags() {
    return Arbitraries.integers()
        .between(1, 40)
        .flatMap(
            n ->
                Combinators.combine(
                        Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofSize(n * n),
                        Arbitraries.shuffle(ids(n)))
                    .as((bits, names) -> dag(n, bits, names)));
  }

  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("t" + i);
    }
    return ids;
  }

  private static Map<String, List<String>> dag(int n, List<Integer> bits, List<String> names) {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      List<String> d = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (bits.get(i * n + j) % 4 == 0) {
          d.add(names.get(j));
        }
      }
      deps.put(names.get(i), d);
    }
    // present the tasks in a shuffled order, as a user might write them
    Map<String, List<String>> shuffled = new LinkedHashMap<>();
    names.stream()
        .sorted((a, b) -> Integer.compare(a.hashCode() ^ bits.get(0), b.hashCode() ^ bits.get(0)))
        .forEach(id -> shuffled.put(id, deps.get(id)));
    return shuffled;
  }

  @Property(tries = 300)
  void shouldOrderEveryTaskAfterItsDependencies(@ForAll("dags") Map<String, List<String>> deps) {
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

  @Property(tries = 300)
  void shouldFindACycleWhenABackEdgeIsAdded(@ForAll("dags") Map<String, List<String>> deps) {
    // given: an edge from a task to one of its descendants closes a cycle, if it has any
    List<String> order = new TaskGraph(deps).topologicalOrder();
    Assume.that(order.size() > 1); // one task would make a self-loop, reported apart
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

package io.weft.core.internals.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph of a workflow's tasks: edges from each task to the tasks it depends on.
 * Edges to unknown tasks are ignored here (validation reports them).
 */
public final class TaskGraph {

  private final Map<String, List<String>> dependencies;
  private final List<String> ids;
  private final Map<String, Integer> index = new HashMap<>();
  private final int[][] edges;

  /**
   * @param dependencies each task id, in definition order, with the ids it depends on
   */
  public TaskGraph(Map<String, List<String>> dependencies) {
    this.dependencies = new LinkedHashMap<>();
    dependencies.forEach(
        (id, deps) ->
            this.dependencies.put(
                id, deps.stream().filter(dependencies::containsKey).distinct().toList()));
    this.ids = List.copyOf(this.dependencies.keySet());
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    this.edges =
        ids.stream()
            .map(id -> this.dependencies.get(id).stream().mapToInt(index::get).toArray())
            .toArray(int[][]::new);
  }

  /**
   * Every elementary cycle found by a depth-first search, each as the path of ids from its smallest
   * id back to it ({@code [a, b, c, a]}); each cycle is reported once.
   */
  public List<List<String>> cycles() {
    return cycles(Integer.MAX_VALUE);
  }

  /**
   * The first {@code max} of {@link #cycles()}: the search stops there, as a densely connected
   * graph has more cycles than are worth listing, each costing a path.
   */
  public List<List<String>> cycles(int max) {
    Set<List<String>> found = new LinkedHashSet<>();
    Map<String, Integer> state = new HashMap<>(); // 1 = on the stack, 2 = done
    Deque<String> stack = new ArrayDeque<>();
    for (String id : dependencies.keySet()) {
      if (!state.containsKey(id) && found.size() < max) {
        visit(id, state, stack, found, max);
      }
    }
    return new ArrayList<>(found);
  }

  private void visit(
      String id,
      Map<String, Integer> state,
      Deque<String> stack,
      Set<List<String>> found,
      int max) {
    state.put(id, 1);
    stack.push(id);
    for (String dep : dependencies.get(id)) {
      if (found.size() >= max) {
        break;
      }
      Integer s = state.get(dep);
      if (s == null) {
        visit(dep, state, stack, found, max);
      } else if (s == 1 && !dep.equals(id)) {
        found.add(cycleThrough(stack, dep));
      }
    }
    stack.pop();
    state.put(id, 2);
  }

  /** The cycle on the stack from {@code start}, rotated to begin at its smallest id. */
  private static List<String> cycleThrough(Deque<String> stack, String start) {
    List<String> path = new ArrayList<>();
    for (var it = stack.descendingIterator(); it.hasNext(); ) {
      String id = it.next();
      if (id.equals(start) || !path.isEmpty()) {
        path.add(id);
      }
    }
    // path follows "depends on" edges: start -> ... -> top, and top depends on start
    int min = 0;
    for (int i = 1; i < path.size(); i++) {
      if (path.get(i).compareTo(path.get(min)) < 0) {
        min = i;
      }
    }
    List<String> rotated = new ArrayList<>(path.subList(min, path.size()));
    rotated.addAll(path.subList(0, min));
    rotated.add(rotated.get(0));
    return rotated;
  }

  /**
   * The ids {@code id} depends on, directly or through other tasks. A search over indices, as the
   * validator asks it of every task that refers to an output, and a dense graph has many edges.
   */
  public Set<String> upstreamOf(String id) {
    Integer start = index.get(id);
    if (start == null) {
      return new HashSet<>();
    }
    BitSet seen = new BitSet(ids.size());
    int[] todo = new int[ids.size() + 1];
    int size = 0;
    todo[size++] = start;
    while (size > 0) {
      for (int dep : edges[todo[--size]]) {
        if (!seen.get(dep)) {
          seen.set(dep);
          todo[size++] = dep;
        }
      }
    }
    Set<String> upstream = new HashSet<>();
    seen.stream().forEach(i -> upstream.add(ids.get(i)));
    return upstream;
  }

  /**
   * The ids in an order where every task comes after its dependencies, ties broken by definition
   * order (Kahn's algorithm). Tasks on a cycle are left out.
   */
  public List<String> topologicalOrder() {
    Map<String, Integer> waiting = new LinkedHashMap<>();
    Map<String, List<String>> dependants = new HashMap<>();
    dependencies.forEach(
        (id, deps) -> {
          waiting.put(id, deps.size());
          deps.forEach(d -> dependants.computeIfAbsent(d, k -> new ArrayList<>()).add(id));
        });
    List<String> order = new ArrayList<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (var entry : waiting.entrySet()) {
        if (entry.getValue() == 0) {
          String id = entry.getKey();
          order.add(id);
          entry.setValue(-1);
          dependants.getOrDefault(id, List.of()).forEach(d -> waiting.merge(d, -1, Integer::sum));
          progress = true;
          break;
        }
      }
    }
    return order;
  }
}

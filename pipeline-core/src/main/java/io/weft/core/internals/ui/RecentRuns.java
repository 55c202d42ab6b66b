package io.weft.core.internals.ui;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of the most recently active runs, as they came, at most {@code maxEvents} in all: when
 * an event would go over, the least recently active runs are dropped whole, never the run it
 * belongs to (which stays even alone over the limit). Thread-safe.
 */
final class RecentRuns {

  private final int maxEvents;
  // access order: the least recently active run first
  private final LinkedHashMap<String, List<byte[]>> runs = new LinkedHashMap<>(256, 0.75f, true);
  private long kept;

  RecentRuns(int maxEvents) {
    this.maxEvents = maxEvents;
  }

  synchronized void add(String runId, byte[] event) {
    runs.computeIfAbsent(runId, id -> new ArrayList<>()).add(event);
    kept++;
    Iterator<Map.Entry<String, List<byte[]>>> eldest = runs.entrySet().iterator();
    while (kept > maxEvents && runs.size() > 1) {
      kept -= eldest.next().getValue().size();
      eldest.remove();
    }
  }

  /** The kept events of {@code runId}, oldest first; empty if none are kept. */
  synchronized List<byte[]> events(String runId) {
    List<byte[]> events = runs.get(runId);
    return events == null ? List.of() : List.copyOf(events);
  }

  synchronized long size() {
    return kept;
  }
}

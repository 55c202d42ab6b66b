package io.weft.workers.internals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a task loop knows of its partitions: the offsets of each ({@link PartitionOffsets}, loaded
 * from the last commit when assigned), what each has in flight (up to {@code window} records, not
 * committed yet), how many handlers run (up to {@code concurrency}, over all partitions), and the
 * backoff of each partition blocked by a failure (an unreachable registry, offsets not loaded); and
 * so which partitions may take a request now and which to pause. Poll-thread only.
 */
final class LoopPartitions {

  private static final Logger log = LoggerFactory.getLogger(LoopPartitions.class);

  private final int concurrency;
  private final int window;
  private final Time time;
  private final Map<TopicPartition, PartitionOffsets> offsets = new HashMap<>();
  private final Map<TopicPartition, NavigableMap<Long, Pending>> inFlight = new HashMap<>();
  private final Map<TopicPartition, Backoff> blocked = new HashMap<>();
  // the Held entries of inFlight, by the order they were held: each turn starts them first
  private final NavigableMap<Long, Held> held = new TreeMap<>();

  LoopPartitions(int concurrency, int window, Time time) {
    this.concurrency = concurrency;
    this.window = window;
    this.time = time;
  }

  /**
   * Starts {@code partition} from its last commit (null: none), unless it is loaded already (still
   * owned); metadata not Weft's is ignored.
   */
  void load(TopicPartition partition, OffsetAndMetadata last) {
    if (offsets.containsKey(partition)) {
      return;
    }
    PartitionOffsets loaded;
    try {
      loaded = PartitionOffsets.resume(last);
    } catch (IllegalArgumentException e) {
      log.warn("{}: ignoring the committed offset's metadata; {}", partition, e.getMessage());
      loaded = PartitionOffsets.resume(new OffsetAndMetadata(last.offset()));
    }
    offsets.put(partition, loaded);
    blocked.remove(partition);
  }

  boolean isLoaded(TopicPartition partition) {
    return offsets.containsKey(partition);
  }

  /** Whether the record at {@code offset} is finished already (by an earlier owner): skip it. */
  boolean isFinished(TopicPartition partition, long offset) {
    PartitionOffsets partitionOffsets = offsets.get(partition);
    return partitionOffsets != null && partitionOffsets.isFinished(offset);
  }

  void skip(TopicPartition partition, long offset) {
    offsets.get(partition).skip(offset);
  }

  /** Whether the record at {@code offset} of {@code partition} may be taken now. */
  boolean mayTake(TopicPartition partition, long offset) {
    PartitionOffsets partitionOffsets = offsets.get(partition);
    return partitionOffsets != null
        && running() < concurrency
        && !isBlocked(partition)
        && partitionOffsets.mayTake(offset, window);
  }

  /** A record was taken (and started, or settled at once); its partition is not blocked. */
  void add(Pending pending) {
    TopicPartition partition = pending.partition();
    offsets.get(partition).take(pending.offset());
    inFlight.computeIfAbsent(partition, p -> new TreeMap<>()).put(pending.offset(), pending);
    blocked.remove(partition);
    if (pending instanceof Held one) {
      held.put(one.sequence(), one);
    }
  }

  /** A held request started or was settled: {@code pending} takes its place, at the same offset. */
  void replace(Pending pending) {
    Pending before = inFlight.get(pending.partition()).put(pending.offset(), pending);
    if (before instanceof Held one) {
      held.remove(one.sequence());
    }
  }

  /** The requests held for resources, first held first (a copy: starting one replaces it). */
  List<Held> held() {
    return held.isEmpty() ? List.of() : List.copyOf(held.values());
  }

  /** Whether any request is held for resources. */
  boolean isHolding() {
    return !held.isEmpty();
  }

  /** How many requests are held for resources. */
  int heldCount() {
    return held.size();
  }

  /** Whether a handler slot is free. */
  boolean hasFreeSlot() {
    return running() < concurrency;
  }

  /** The attempts in flight, running or finished. */
  List<Execution> executions() {
    List<Execution> executions = new ArrayList<>();
    for (Map<Long, Pending> pending : inFlight.values()) {
      for (Pending each : pending.values()) {
        if (each instanceof Execution execution) {
          executions.add(execution);
        }
      }
    }
    return executions;
  }

  /** Whether nothing is in flight but requests held for resources, which need no commit. */
  boolean isIdle() {
    int pending = 0;
    for (Map<Long, Pending> each : inFlight.values()) {
      pending += each.size();
    }
    return pending == held.size();
  }

  /** The finished records whose commit is not backing off after a failure. */
  List<Pending> readyToCommit() {
    long now = time.nanoseconds();
    List<Pending> ready = new ArrayList<>();
    for (Map<Long, Pending> pending : inFlight.values()) {
      for (Pending each : pending.values()) {
        if (each.isFinished() && !each.commitBackoff().isWaiting(now)) {
          ready.add(each);
        }
      }
    }
    return ready;
  }

  /** The finished records of {@code partitions}, backing off or not. */
  List<Pending> finishedOf(Collection<TopicPartition> partitions) {
    List<Pending> finished = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      for (Pending each : inFlight.getOrDefault(partition, new TreeMap<>()).values()) {
        if (each.isFinished()) {
          finished.add(each);
        }
      }
    }
    return finished;
  }

  /** The offset and metadata to commit with the outcomes of {@code finishing}. */
  OffsetAndMetadata commitWith(TopicPartition partition, Set<Long> finishing) {
    return offsets.get(partition).commitWith(finishing);
  }

  /** The outcomes of {@code finishing} were committed: no longer in flight. */
  void committed(TopicPartition partition, Set<Long> finishing) {
    offsets.get(partition).committed(finishing);
    Map<Long, Pending> pending = inFlight.get(partition);
    pending.keySet().removeAll(finishing);
    if (pending.isEmpty()) {
      inFlight.remove(partition);
    }
  }

  /**
   * Forgets {@code partition}: its offsets, backoff and what it has in flight, which it returns.
   */
  Collection<Pending> forget(TopicPartition partition) {
    offsets.remove(partition);
    blocked.remove(partition);
    NavigableMap<Long, Pending> pending = inFlight.remove(partition);
    held.values().removeIf(one -> one.partition().equals(partition));
    return pending == null ? List.of() : pending.values();
  }

  /** Forgets every partition. */
  void clear() {
    offsets.clear();
    inFlight.clear();
    blocked.clear();
    held.clear();
  }

  /** {@code partition} failed now: it takes nothing until its backoff ends. */
  void block(TopicPartition partition) {
    blocked.computeIfAbsent(partition, p -> new Backoff()).failed(time.nanoseconds());
  }

  /** Whether {@code partition} failed before and has not succeeded since. */
  boolean hasFailed(TopicPartition partition) {
    return blocked.containsKey(partition);
  }

  boolean isBlocked(TopicPartition partition) {
    Backoff backoff = blocked.get(partition);
    return backoff != null && backoff.isWaiting(time.nanoseconds());
  }

  /**
   * Requests taken and not yet committed, over all loaded partitions, as a fraction of their
   * windows; 0 with none loaded.
   */
  double windowFill() {
    if (offsets.isEmpty()) {
      return 0;
    }
    long taken = 0;
    for (PartitionOffsets partitionOffsets : offsets.values()) {
      taken += partitionOffsets.inFlightCount();
    }
    return (double) taken / ((long) window * offsets.size());
  }

  /** How many handlers run: attempts started and not finished. */
  private int running() {
    int running = 0;
    for (Execution execution : executions()) {
      if (!execution.isFinished()) {
        running++;
      }
    }
    return running;
  }

  /**
   * Pauses every assigned partition that may not take a request (all of them if {@code pauseAll} or
   * no handler slot is free; else those blocked or with a full window), resumes the others.
   */
  void updatePauses(Consumer<?, ?> consumer, boolean pauseAll) {
    Set<TopicPartition> paused = consumer.paused();
    boolean full = pauseAll || running() >= concurrency;
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (TopicPartition partition : consumer.assignment()) {
      PartitionOffsets partitionOffsets = offsets.get(partition);
      boolean shouldPause =
          full
              || isBlocked(partition)
              || (partitionOffsets != null && !partitionOffsets.hasRoom(window));
      if (shouldPause && !paused.contains(partition)) {
        pause.add(partition);
      } else if (!shouldPause && paused.contains(partition)) {
        resume.add(partition);
      }
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
  }
}

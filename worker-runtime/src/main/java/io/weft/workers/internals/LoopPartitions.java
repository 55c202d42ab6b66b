package io.weft.workers.internals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;

/**
 * What a task loop knows of its partitions: the attempt in flight on each (at most one, on at most
 * {@code concurrency} partitions) and the backoff of each one blocked by a failure (an unreachable
 * registry, a transaction that did not commit); and so which partitions may take a request now and
 * which to pause. Poll-thread only.
 */
final class LoopPartitions {

  private final int concurrency;
  private final Time time;
  private final Map<TopicPartition, Execution> inFlight = new HashMap<>();
  private final Map<TopicPartition, Backoff> blocked = new HashMap<>();

  LoopPartitions(int concurrency, Time time) {
    this.concurrency = concurrency;
    this.time = time;
  }

  /** Whether {@code partition} may start an attempt now. */
  boolean mayTake(TopicPartition partition) {
    return !inFlight.containsKey(partition)
        && inFlight.size() < concurrency
        && !isBlocked(partition);
  }

  /** An attempt started (or finished at once) on its partition, which is no longer blocked. */
  void add(Execution execution) {
    inFlight.put(execution.partition(), execution);
    blocked.remove(execution.partition());
  }

  /** The attempt in flight on {@code partition}, or null. */
  Execution get(TopicPartition partition) {
    return inFlight.get(partition);
  }

  Collection<Execution> inFlight() {
    return inFlight.values();
  }

  boolean isIdle() {
    return inFlight.isEmpty();
  }

  /** The finished attempts whose commit is not backing off after a failure. */
  List<Execution> readyToCommit() {
    long now = time.nanoseconds();
    List<Execution> ready = new ArrayList<>();
    for (Execution execution : inFlight.values()) {
      if (execution.isFinished() && !execution.commitBackoff().isWaiting(now)) {
        ready.add(execution);
      }
    }
    return ready;
  }

  /** Forgets {@code partition}: its backoff and its attempt, which it returns (or null). */
  Execution remove(TopicPartition partition) {
    blocked.remove(partition);
    return inFlight.remove(partition);
  }

  /** Forgets every attempt and backoff. */
  void clear() {
    inFlight.clear();
    blocked.clear();
  }

  /** {@code partition} failed now: it takes nothing until its backoff ends. */
  void block(TopicPartition partition) {
    blocked.computeIfAbsent(partition, p -> new Backoff()).failed(time.nanoseconds());
  }

  /** {@code partition} succeeded: no backoff. */
  void unblock(TopicPartition partition) {
    blocked.remove(partition);
  }

  /** Whether {@code partition} failed before and has not succeeded since. */
  boolean hasFailed(TopicPartition partition) {
    return blocked.containsKey(partition);
  }

  private boolean isBlocked(TopicPartition partition) {
    Backoff backoff = blocked.get(partition);
    return backoff != null && backoff.isWaiting(time.nanoseconds());
  }

  /**
   * Pauses every assigned partition that may not take a request (all of them if {@code pauseAll}),
   * resumes the others.
   */
  void updatePauses(Consumer<?, ?> consumer, boolean pauseAll) {
    Set<TopicPartition> paused = consumer.paused();
    boolean full = pauseAll || inFlight.size() >= concurrency;
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (TopicPartition partition : consumer.assignment()) {
      boolean shouldPause = full || inFlight.containsKey(partition) || isBlocked(partition);
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

package io.weft.workers.internals;

import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The offsets of one partition a task loop owns: which it took and has not committed yet (in
 * flight: running, or finished with the result not committed), and which above the committed offset
 * are finished (results committed, by this owner or an earlier one). The offset it commits is the
 * first unfinished one; the finished ones above it go in the commit's metadata ({@link
 * OffsetGaps}), so that a new owner skips them. A pure value, poll-thread only.
 *
 * <p>Records come in offset order (a record not taken is read again), so every offset between the
 * committed one and the last handled is in flight, finished, or not a record (a transaction
 * marker). The committed offset never moves backwards.
 */
final class PartitionOffsets {

  /** All offsets below it are finished. */
  private long committed;

  /** One past the highest offset handled (taken or skipped). */
  private long next;

  private final NavigableSet<Long> inFlight = new TreeSet<>();

  /** Finished offsets above {@link #committed}. */
  private final NavigableSet<Long> finished;

  private PartitionOffsets(long committed, NavigableSet<Long> finished) {
    this.committed = committed;
    this.next = committed;
    this.finished = finished;
  }

  /**
   * The offsets of a partition as its last owner committed them ({@code null}: never committed).
   *
   * @throws IllegalArgumentException if the metadata is not Weft's
   */
  static PartitionOffsets resume(OffsetAndMetadata last) {
    if (last == null) {
      return new PartitionOffsets(0, new TreeSet<>());
    }
    return new PartitionOffsets(last.offset(), OffsetGaps.decode(last.offset(), last.metadata()));
  }

  /** Whether the record at {@code offset} is finished already: skip it. */
  boolean isFinished(long offset) {
    return offset < committed || finished.contains(offset);
  }

  /** Skips a finished record. */
  void skip(long offset) {
    next = Math.max(next, offset + 1);
  }

  /**
   * Whether the record at {@code offset} may be taken: the window has room, and the offset lies
   * close enough to the first unfinished one for the metadata to record it.
   */
  boolean mayTake(long offset, int window) {
    return inFlight.size() < window
        && (inFlight.isEmpty() || offset - inFlight.first() < OffsetGaps.MAX_SPAN);
  }

  /** Whether the next record could be taken (if it comes right after the last one handled). */
  boolean hasRoom(int window) {
    return mayTake(next, window);
  }

  /** Takes the record at {@code offset}: in flight until its result is committed. */
  void take(long offset) {
    inFlight.add(offset);
    next = Math.max(next, offset + 1);
  }

  int inFlightCount() {
    return inFlight.size();
  }

  /** The offset committed last (or resumed from). */
  long committedOffset() {
    return committed;
  }

  /**
   * The offset and metadata to commit with the results of {@code finishing} (offsets in flight):
   * the first offset still unfinished then, and the finished ones above it. Changes nothing.
   */
  OffsetAndMetadata commitWith(Set<Long> finishing) {
    NavigableSet<Long> done = new TreeSet<>(finished);
    done.addAll(finishing);
    long offset = firstUnfinished(done, finishing);
    return new OffsetAndMetadata(offset, OffsetGaps.encode(offset, done.tailSet(offset, false)));
  }

  /** The results of {@code finishing} were committed, with {@link #commitWith}'s offset. */
  void committed(Set<Long> finishing) {
    finished.addAll(finishing);
    long offset = firstUnfinished(finished, finishing);
    inFlight.removeAll(finishing);
    finished.headSet(offset, true).clear();
    committed = offset;
  }

  private long firstUnfinished(NavigableSet<Long> done, Set<Long> finishing) {
    if (!inFlight.containsAll(finishing)) {
      throw new IllegalArgumentException("Not in flight: " + finishing + " of " + inFlight);
    }
    long offset = next;
    for (long candidate : inFlight) {
      if (!finishing.contains(candidate)) {
        offset = candidate;
        break;
      }
    }
    while (done.contains(offset)) { // finished records right above: skip them too
      offset++;
    }
    return offset;
  }
}

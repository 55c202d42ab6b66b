package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/**
 * Drives the offsets of one partition through random take, finish, commit, failed-commit and
 * restart orders (a restart: a new owner resumes from the last commit; what the old one had in
 * flight is lost), and checks that every record's result is committed exactly once across owners,
 * none is skipped, and the committed offset never moves backwards.
 */
class PartitionOffsetsPropertyTest {

  private static final int CASES = 2_000;

  @Test
  void shouldCommitEveryResultExactlyOnceWhateverTheOrderAndTheRestarts() {
    for (int seed = 0; seed < CASES; seed++) {
      new Case(new Random(seed)).run();
    }
  }

  /** One partition, its records and markers, and the owners that take turns on it. */
  private static final class Case {

    private final Random random;
    private final int end;
    private final Set<Long> records = new HashSet<>();
    private final int[] commits;
    private final int window;
    private OffsetAndMetadata lastCommit;
    private PartitionOffsets owner;
    private long position;
    private final List<Long> running = new ArrayList<>();
    private final List<Long> finished = new ArrayList<>();

    Case(Random random) {
      this.random = random;
      this.end = 1 + random.nextInt(60);
      this.commits = new int[end];
      this.window = 1 + random.nextInt(8);
      for (long offset = 0; offset < end; offset++) {
        if (random.nextInt(10) > 0) { // else a transaction marker: no record to read
          records.add(offset);
        }
      }
      restart();
    }

    void run() {
      int steps = 0;
      while (!isDone()) {
        assertThat(steps).as("steps of %s", this).isLessThan(100_000);
        boolean mayRestart = steps++ < 500;
        switch (random.nextInt(mayRestart ? 5 : 4)) {
          case 0 -> read();
          case 1 -> finishOne();
          case 2, 3 -> commit();
          default -> restart();
        }
      }
      for (long offset = 0; offset < end; offset++) {
        assertThat(commits[(int) offset])
            .as("commits of offset %d (seed case %s)", offset, this)
            .isEqualTo(records.contains(offset) ? 1 : 0);
      }
      PartitionOffsets last = PartitionOffsets.resume(lastCommit); // would skip every record
      assertThat(records).allMatch(last::isFinished);
    }

    /** Whether every record was read and nothing is in flight any more. */
    private boolean isDone() {
      return position >= end && running.isEmpty() && finished.isEmpty();
    }

    /** The next record, as a consumer at {@code position} reads it. */
    private void read() {
      while (position < end && !records.contains(position)) {
        position++;
      }
      if (position >= end) {
        return;
      }
      if (owner.isFinished(position)) {
        owner.skip(position++);
      } else if (owner.mayTake(position, window)) {
        owner.take(position);
        running.add(position++);
      } // else sought back: read again later
    }

    private void finishOne() {
      if (!running.isEmpty()) {
        finished.add(running.remove(random.nextInt(running.size())));
      }
    }

    private void commit() {
      Set<Long> batch = new TreeSet<>();
      for (Long offset : finished) {
        if (random.nextInt(4) > 0) { // some wait out a backoff
          batch.add(offset);
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      OffsetAndMetadata commit = owner.commitWith(batch);
      if (random.nextInt(5) == 0) {
        return; // the transaction failed: nothing committed, retried later
      }
      assertThat(commit.metadata().getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
      if (lastCommit != null) {
        assertThat(commit.offset()).isGreaterThanOrEqualTo(lastCommit.offset());
      }
      batch.forEach(offset -> commits[offset.intValue()]++);
      lastCommit = commit;
      owner.committed(batch);
      finished.removeAll(batch);
    }

    /** A new owner: resumes from the last commit, reads from its offset again. */
    private void restart() {
      owner = PartitionOffsets.resume(lastCommit);
      position = lastCommit == null ? 0 : lastCommit.offset();
      running.clear();
      finished.clear();
    }

    @Override
    public String toString() {
      return "end " + end + ", window " + window + ", records " + new TreeSet<>(records);
    }
  }
}

package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

  private static PartitionOffsets taking(long... offsets) {
    PartitionOffsets partition = PartitionOffsets.resume(null);
    for (long offset : offsets) {
      partition.take(offset);
    }
    return partition;
  }

  @Test
  void shouldCommitPastTheLastOffsetWhenEveryOneInFlightFinishes() {
    // given
    PartitionOffsets partition = taking(0, 1, 2);

    // when
    OffsetAndMetadata commit = partition.commitWith(Set.of(0L, 1L, 2L));
    partition.committed(Set.of(0L, 1L, 2L));

    // then
    assertThat(commit).isEqualTo(new OffsetAndMetadata(3, ""));
    assertThat(partition.committedOffset()).isEqualTo(3);
    assertThat(partition.inFlightCount()).isZero();
  }

  @Test
  void shouldCommitTheFirstUnfinishedOffsetAndRecordTheFinishedOnesAboveIt() {
    // given: 5 runs long, 6 and 8 finished before it
    PartitionOffsets partition = taking(5, 6, 7, 8);

    // when
    OffsetAndMetadata commit = partition.commitWith(Set.of(6L, 8L));
    partition.committed(Set.of(6L, 8L));

    // then
    assertThat(commit.offset()).isEqualTo(5);
    assertThat(OffsetGaps.decode(5, commit.metadata())).containsExactly(6L, 8L);
    assertThat(partition.inFlightCount()).isEqualTo(2);
  }

  @Test
  void shouldMovePastFinishedOffsetsOnceTheOneBelowThemFinishes() {
    // given
    PartitionOffsets partition = taking(5, 6, 7, 8);
    partition.committed(Set.of(6L, 8L));

    // when
    OffsetAndMetadata commit = partition.commitWith(Set.of(5L));
    partition.committed(Set.of(5L));

    // then: 7 is the first unfinished; 8 stays recorded
    assertThat(commit.offset()).isEqualTo(7);
    assertThat(OffsetGaps.decode(7, commit.metadata())).containsExactly(8L);
  }

  @Test
  void shouldSkipTheOffsetsItsLastOwnerFinished() {
    // given
    PartitionOffsets last = taking(5, 6, 7, 8);
    OffsetAndMetadata commit = last.commitWith(Set.of(6L, 8L));

    // when
    PartitionOffsets next = PartitionOffsets.resume(commit);

    // then
    assertThat(next.isFinished(4)).isTrue();
    assertThat(next.isFinished(5)).isFalse();
    assertThat(next.isFinished(6)).isTrue();
    assertThat(next.isFinished(7)).isFalse();
    assertThat(next.isFinished(8)).isTrue();
    assertThat(next.isFinished(9)).isFalse();
  }

  @Test
  void shouldCommitPastFinishedOffsetsItHasNotReadAgainYet() {
    // given: resumed at 5 with 6 and 7 finished; only 5 read again
    PartitionOffsets partition =
        PartitionOffsets.resume(new OffsetAndMetadata(5, OffsetGaps.encode(5, set(6L, 7L, 9L))));
    partition.take(5);

    // when
    OffsetAndMetadata commit = partition.commitWith(Set.of(5L));

    // then
    assertThat(commit.offset()).isEqualTo(8);
    assertThat(OffsetGaps.decode(8, commit.metadata())).containsExactly(9L);
  }

  @Test
  void shouldTakeNothingWhenTheWindowIsFull() {
    // given
    PartitionOffsets partition = taking(0, 1);

    // when / then
    assertThat(partition.mayTake(2, 2)).isFalse();
    assertThat(partition.hasRoom(2)).isFalse();
    assertThat(partition.mayTake(2, 3)).isTrue();
  }

  @Test
  void shouldTakeNothingTheMetadataCouldNotRecord() {
    // given: offset 0 runs long
    PartitionOffsets partition = taking(0);

    // when / then
    assertThat(partition.mayTake(OffsetGaps.MAX_SPAN - 1, Integer.MAX_VALUE)).isTrue();
    assertThat(partition.mayTake(OffsetGaps.MAX_SPAN, Integer.MAX_VALUE)).isFalse();
  }

  private static java.util.TreeSet<Long> set(Long... offsets) {
    return new java.util.TreeSet<>(java.util.List.of(offsets));
  }
}

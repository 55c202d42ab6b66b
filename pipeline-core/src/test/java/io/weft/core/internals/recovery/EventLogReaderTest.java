package io.weft.core.internals.recovery;

import static io.weft.core.internals.recovery.RunEvents.records;
import static io.weft.core.internals.recovery.RunEvents.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.common.WeftException;
import io.weft.core.testing.ManualTime;
import io.weft.schemas.events.RunEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** One partition of the event log is read from its start to its end offset, or fails in time. */
class EventLogReaderTest {

  private static final String EVENTS = "weft.events";
  private static final TopicPartition ZERO = new TopicPartition(EVENTS, 0);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final MockConsumer<String, RunEvent> consumer = new MockConsumer<>("earliest");
  private final ManualTime time = new ManualTime();
  private final EventLogReader reader = new EventLogReader(consumer, EVENTS, TIMEOUT, time);

  @Test
  void shouldPassEveryEventInOrderAndSkipTombstones() {
    // given: a run's two events with a tombstone between them
    List<RunEvent> events = running("r");
    List<ConsumerRecord<String, RunEvent>> log = new ArrayList<>();
    log.add(records(EVENTS, 0, 0, events).get(0));
    log.add(new ConsumerRecord<>(EVENTS, 0, 1, "r", null));
    log.add(records(EVENTS, 0, 2, events).get(1));
    consumer.updateBeginningOffsets(Map.of(ZERO, 0L));
    consumer.updateEndOffsets(Map.of(ZERO, 3L));
    consumer.schedulePollTask(() -> log.forEach(consumer::addRecord));
    List<RunEvent> read = new ArrayList<>();

    // when
    EventLogReader.Extent extent = reader.read(0, read::add);

    // then
    assertThat(read).containsExactlyElementsOf(events);
    assertThat(extent).isEqualTo(new EventLogReader.Extent(0, 0, 3));
    assertThat(extent.truncated()).isFalse();
  }

  @Test
  void shouldReadFromTheLogStartOffsetOfAPartitionWhoseFirstRecordsWereDeleted() {
    // given: the partition's records before offset 100 were deleted by its retention
    consumer.updateBeginningOffsets(Map.of(ZERO, 100L));
    consumer.updateEndOffsets(Map.of(ZERO, 102L));
    consumer.schedulePollTask(
        () -> records(EVENTS, 0, 100, running("r")).forEach(consumer::addRecord));
    List<RunEvent> read = new ArrayList<>();

    // when
    EventLogReader.Extent extent = reader.read(0, read::add);

    // then
    assertThat(read).hasSize(2);
    assertThat(extent).isEqualTo(new EventLogReader.Extent(0, 100, 102));
    assertThat(extent.truncated()).isTrue();
  }

  @Test
  void shouldFailNamingThePartitionWhenItsRecordsStopComingBeforeItsEnd() {
    // given: an end offset of 5, but only 2 records, then no progress for longer than the timeout
    consumer.updateBeginningOffsets(Map.of(ZERO, 0L));
    consumer.updateEndOffsets(Map.of(ZERO, 5L));
    consumer.schedulePollTask(
        () -> records(EVENTS, 0, 0, running("r")).forEach(consumer::addRecord));
    consumer.schedulePollTask(() -> time.advance(TIMEOUT.plusSeconds(1)));

    // when / then
    assertThatThrownBy(() -> reader.read(0, event -> {}))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("weft.events-0")
        .hasMessageContaining("stopped at offset 2 of 5");
  }
}

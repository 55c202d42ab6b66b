package io.weft.core.internals.recovery;

import static io.weft.core.internals.recovery.RunEvents.T0;
import static io.weft.core.internals.recovery.RunEvents.TASK_TIMEOUT;
import static io.weft.core.internals.recovery.RunEvents.finished;
import static io.weft.core.internals.recovery.RunEvents.records;
import static io.weft.core.internals.recovery.RunEvents.runIdsIn;
import static io.weft.core.internals.recovery.RunEvents.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.internals.coordinator.Timer;
import io.weft.core.testing.ManualTime;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskScheduled;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The event log is rebuilt into the changelogs one partition at a time, without a broker. */
class StateRebuilderTest {

  private static final String EVENTS = "weft.events";
  private static final String APP = "weft-coordinator";
  private static final Duration RETENTION = Duration.ofDays(7);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final MockConsumer<String, RunEvent> consumer = new MockConsumer<>("earliest");
  private final MockProducer<String, RunState> states =
      new MockProducer<>(true, null, new StringSerializer(), (topic, state) -> new byte[0]);
  private final MockProducer<String, TaskState> children =
      new MockProducer<>(true, null, new StringSerializer(), (topic, state) -> new byte[0]);
  private final MockProducer<String, String> strings =
      new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());

  @Test
  void shouldWriteEveryRunToThePartitionOfItsEventsWithItsTimers() {
    // given: partition 0 holds a finished and a running run, partition 1 a running one
    List<String> inZero = runIdsIn(0, 2, 2);
    String inOne = runIdsIn(1, 2, 1).get(0);
    Map<Integer, List<RunEvent>> log = new HashMap<>();
    log.put(0, concat(finished(inZero.get(0)), running(inZero.get(1))));
    log.put(1, running(inOne));
    offer(log, 2);

    // when
    StateRebuilder.Totals totals = rebuilder(2).rebuild(2);

    // then
    assertThat(totals).isEqualTo(new StateRebuilder.Totals(2, 8, 3, 2, 3, 0));
    assertThat(states.history())
        .allSatisfy(r -> assertThat(r.topic()).isEqualTo(APP + "-runs-changelog"));
    assertThat(partitionsByKey(states.history()))
        .isEqualTo(Map.of(inZero.get(0), 0, inZero.get(1), 0, inOne, 1));
    assertThat(statusByKey(states.history()))
        .isEqualTo(
            Map.of(
                inZero.get(0),
                RunStatus.SUCCEEDED,
                inZero.get(1),
                RunStatus.RUNNING,
                inOne,
                RunStatus.RUNNING));
    assertThat(timerRecords())
        .allSatisfy(r -> assertThat(r.topic()).isEqualTo(APP + "-timers-changelog"));
    assertThat(timerRecords().stream().map(r -> Timer.parse(r.key())).toList())
        .containsExactlyInAnyOrder(
            new Timer(T0.plusMillis(3).plus(RETENTION), inZero.get(0), "", 0, Timer.Kind.EXPIRE),
            new Timer(T0.plus(TASK_TIMEOUT), inZero.get(1), "a", 1, Timer.Kind.TIMEOUT),
            new Timer(T0.plus(TASK_TIMEOUT), inOne, "a", 1, Timer.Kind.TIMEOUT));
    assertThat(partitionsByKey(timerRecords()).values()).containsExactlyInAnyOrder(0, 0, 1);
  }

  @Test
  void shouldWriteAPartitionsRunsBeforeReadingTheNextPartitionAlone() {
    // given: three runs in partition 0, two in partition 1; what was written, and what the
    // consumer was assigned, when partition 1 is first polled
    List<String> inZero = runIdsIn(0, 2, 3);
    List<String> inOne = runIdsIn(1, 2, 2);
    List<String> writtenBeforeOne = new ArrayList<>();
    List<Set<TopicPartition>> assignedWhileReadingOne = new ArrayList<>();
    List<RunEvent> zero = concat(inZero.stream().map(RunEvents::finished).toList());
    List<RunEvent> one = concat(inOne.stream().map(RunEvents::running).toList());
    consumer.updateBeginningOffsets(Map.of(partition(0), 0L, partition(1), 0L));
    consumer.updateEndOffsets(
        Map.of(partition(0), (long) zero.size(), partition(1), (long) one.size()));
    consumer.schedulePollTask(() -> records(EVENTS, 0, 0, zero).forEach(consumer::addRecord));
    consumer.schedulePollTask(
        () -> {
          states.history().forEach(r -> writtenBeforeOne.add(r.key()));
          assignedWhileReadingOne.add(Set.copyOf(consumer.assignment()));
          records(EVENTS, 1, 0, one).forEach(consumer::addRecord);
        });

    // when
    rebuilder(2).rebuild(2);

    // then: partition 0's runs were all written before partition 1 was read, and each run once
    assertThat(writtenBeforeOne).containsExactlyInAnyOrderElementsOf(inZero);
    assertThat(assignedWhileReadingOne).containsExactly(Set.of(partition(1)));
    List<String> written = states.history().stream().map(ProducerRecord::key).toList();
    assertThat(written).hasSize(5);
    assertThat(written.subList(0, 3)).containsExactlyInAnyOrderElementsOf(inZero);
    assertThat(written.subList(3, 5)).containsExactlyInAnyOrderElementsOf(inOne);
  }

  @Test
  void shouldCountEveryEventOfEveryPartitionReadAcrossSeveralPolls() {
    // given: 20 runs over 4 partitions, read 3 records per poll
    int partitions = 4;
    Map<Integer, List<RunEvent>> log = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      log.put(p, concat(runIdsIn(p, partitions, 5).stream().map(RunEvents::finished).toList()));
    }
    offer(log, partitions);
    consumer.setMaxPollRecords(3);

    // when
    StateRebuilder.Totals totals = rebuilder(partitions).rebuild(partitions);

    // then
    assertThat(totals).isEqualTo(new StateRebuilder.Totals(4, 80, 20, 0, 20, 0));
    assertThat(states.history()).hasSize(20);
  }

  @Test
  void shouldSkipAndCountTheRunsWhoseFirstEventsWereDeletedFromAPartition() {
    // given: partition 0 starts at offset 100; run a's first two events were before it, run b is
    // whole
    List<String> ids = runIdsIn(0, 1, 2);
    List<RunEvent> a = finished(ids.get(0));
    List<RunEvent> kept = concat(a.subList(2, a.size()), finished(ids.get(1)));
    consumer.updateBeginningOffsets(Map.of(partition(0), 100L));
    consumer.updateEndOffsets(Map.of(partition(0), 100L + kept.size()));
    consumer.schedulePollTask(() -> records(EVENTS, 0, 100, kept).forEach(consumer::addRecord));

    // when
    StateRebuilder.Totals totals = rebuilder(1).rebuild(1);

    // then: only b is written, a is counted as skipped
    assertThat(totals).isEqualTo(new StateRebuilder.Totals(1, 6, 1, 0, 1, 1));
    assertThat(states.history().stream().map(ProducerRecord::key)).containsExactly(ids.get(1));
    assertThat(timerRecords().stream().map(r -> Timer.parse(r.key()).runId()))
        .containsExactly(ids.get(1));
  }

  /**
   * Offers each partition's events, from offset 0, when the partition is first polled (a mock
   * consumer takes records only for an assigned partition).
   */
  @Test
  void shouldWriteAFanOutsChildrenApartFromItsRunAndIndexTheRun() {
    // given: a run whose task fanned out to three children
    String runId = runIdsIn(0, 1, 1).get(0);
    List<RunEvent> events = new ArrayList<>(running(runId).subList(0, 1));
    for (int i = 0; i < 3; i++) {
      events.add(
          RunEvents.event(
              runId,
              1 + i,
              TaskScheduled.newBuilder()
                  .setTaskId("each[" + i + "]")
                  .setType("t")
                  .setAttempt(1)
                  .setDeadline(T0.plus(TASK_TIMEOUT))
                  .setFanOutSize(3)
                  .build()));
    }
    offer(Map.of(0, events), 1);

    // when
    rebuilder(1).rebuild(1);

    // then
    assertThat(states.history())
        .singleElement()
        .satisfies(r -> assertThat(r.value().getTasks()).containsOnlyKeys("each"));
    assertThat(children.history())
        .extracting(ProducerRecord::key)
        .containsExactlyInAnyOrder(runId + "\teach[0]", runId + "\teach[1]", runId + "\teach[2]");
    assertThat(strings.history())
        .filteredOn(r -> r.topic().equals(APP + "-runs-by-start-changelog"))
        .singleElement()
        .satisfies(r -> assertThat(r.key()).startsWith("RUNNING\t").endsWith("\t" + runId));
  }

  private void offer(Map<Integer, List<RunEvent>> log, int partitions) {
    Map<TopicPartition, Long> beginning = new HashMap<>();
    Map<TopicPartition, Long> end = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      beginning.put(partition(p), 0L);
      end.put(partition(p), (long) log.getOrDefault(p, List.of()).size());
    }
    consumer.updateBeginningOffsets(beginning);
    consumer.updateEndOffsets(end);
    Set<TopicPartition> offered = new HashSet<>();
    Runnable offerAssigned =
        () -> {
          for (TopicPartition tp : consumer.assignment()) {
            if (offered.add(tp)) {
              records(EVENTS, tp.partition(), 0, log.getOrDefault(tp.partition(), List.of()))
                  .forEach(consumer::addRecord);
            }
          }
        };
    int polls = log.values().stream().mapToInt(List::size).sum() + partitions;
    for (int i = 0; i < polls; i++) {
      consumer.schedulePollTask(offerAssigned);
    }
  }

  private StateRebuilder rebuilder(int partitions) {
    return new StateRebuilder(
        new EventLogReader(consumer, EVENTS, TIMEOUT, new ManualTime()),
        new ChangelogWriter(states, children, strings, APP, partitions, RETENTION, TIMEOUT));
  }

  private static TopicPartition partition(int partition) {
    return new TopicPartition(EVENTS, partition);
  }

  @SafeVarargs
  private static List<RunEvent> concat(List<RunEvent>... lists) {
    return concat(List.of(lists));
  }

  private static List<RunEvent> concat(List<List<RunEvent>> lists) {
    return lists.stream().flatMap(List::stream).toList();
  }

  private static Map<String, Integer> partitionsByKey(List<? extends ProducerRecord<String, ?>> r) {
    return r.stream().collect(Collectors.toMap(ProducerRecord::key, ProducerRecord::partition));
  }

  private static Map<String, RunStatus> statusByKey(List<ProducerRecord<String, RunState>> r) {
    return r.stream().collect(Collectors.toMap(ProducerRecord::key, p -> p.value().getStatus()));
  }

  /** What the writer sent to the timers changelog (its string producer also writes the index). */
  private List<ProducerRecord<String, String>> timerRecords() {
    return strings.history().stream()
        .filter(r -> r.topic().equals(APP + "-timers-changelog"))
        .toList();
  }
}

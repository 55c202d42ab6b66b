package io.weft.benchmarks;

import io.weft.core.api.Coordinator;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Section 4b: the coordinator's state per in-flight run. Starts {@link Plan#parkedRuns()} runs of a
 * 4-task diamond whose type has no worker, so that every run stays in flight with its first task
 * dispatched, and measures what the coordinator keeps for them: the serialized key and value bytes
 * of the latest record of each of their keys in the changelogs of its two stores ({@code runs}: run
 * state, {@code timers}: the first task's timeout), divided by the runs. This is what RocksDB holds
 * before its own overhead and compression, and what a restore reads. (The state directory's size on
 * disk says little at this scale: RocksDB keeps recent writes in its memtable.)
 */
final class StatePerRun implements Section {

  static final String NAME = "state per run";
  static final Goal GOAL = Goal.atMost(2048);
  private static final String TYPE = "bench-parked";
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    WeftInstallation installation = context.installation();
    int runs = context.plan().parkedRuns();
    // declare the type, then stop its only worker: its tasks are dispatched and never taken
    installation.startWorker(Map.of(), Handlers.noop(TYPE)).close();
    installation.client().register(Workflows.diamond(TYPE, TYPE));
    Coordinator coordinator = installation.coordinator();
    Set<String> runIds = new HashSet<>();
    try (ChangelogReader changelogs = new ChangelogReader(installation);
        RunStarter starter = new RunStarter(installation)) {
      long dispatchedBefore = coordinator.stats().dispatched();
      for (int i = 0; i < runs; i++) {
        String runId = RunStarter.newRunId();
        runIds.add(runId);
        starter.start(runId, TYPE);
      }
      starter.flush();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (coordinator.stats().dispatched() - dispatchedBefore < runs) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Only "
                  + (coordinator.stats().dispatched() - dispatchedBefore)
                  + " of "
                  + runs
                  + " parked runs were started within "
                  + TIMEOUT);
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      long[] bytes = changelogs.await(runIds, deadline);
      double perRun = (bytes[0] + bytes[1]) / (double) runs;
      context
          .report()
          .add(
              Measure.of(NAME, "serialized state per in-flight run", perRun, "bytes", GOAL)
                  .withNote(
                      String.format(
                          "%,d parked runs (4-task diamond, first task dispatched); run state"
                              + " %.0f B + timers %.0f B per run, keys and values as in the"
                              + " changelogs",
                          runs, bytes[0] / (double) runs, bytes[1] / (double) runs)));
    }
  }

  /** Reads the coordinator's two changelogs from their current ends, latest value per key. */
  private static final class ChangelogReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final String runsTopic;
    private final Map<String, Integer> runs = new HashMap<>();
    private final Map<String, Integer> timers = new HashMap<>();

    ChangelogReader(WeftInstallation installation) {
      Map<String, Object> props =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              installation.stack().bootstrapServers(),
              ConsumerConfig.ISOLATION_LEVEL_CONFIG,
              "read_committed");
      this.consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      this.runsTopic = installation.applicationId() + "-runs-changelog";
      String timersTopic = installation.applicationId() + "-timers-changelog";
      List<TopicPartition> partitions =
          Stream.of(runsTopic, timersTopic)
              .flatMap(
                  t ->
                      consumer.partitionsFor(t, Duration.ofSeconds(30)).stream()
                          .map(p -> new TopicPartition(t, p.partition())))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }

    /** Reads until every run has its state; returns {run bytes, timer bytes} of those runs. */
    long[] await(Set<String> runIds, long deadlineNanos) {
      while (!runs.keySet().containsAll(runIds)) {
        if (System.nanoTime() > deadlineNanos) {
          throw new IllegalStateException(
              "The runs changelog holds " + runs.size() + " of " + runIds.size() + " parked runs");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          int bytes = r.serializedKeySize() + Math.max(0, r.serializedValueSize());
          Map<String, Integer> target = r.topic().equals(runsTopic) ? runs : timers;
          if (r.value() == null) {
            target.remove(r.key());
          } else {
            target.put(r.key(), bytes);
          }
        }
      }
      long runBytes =
          runs.entrySet().stream()
              .filter(e -> runIds.contains(e.getKey()))
              .mapToLong(Map.Entry::getValue)
              .sum();
      long timerBytes =
          timers.entrySet().stream()
              .filter(e -> runIds.contains(e.getKey().split("\t")[1]))
              .mapToLong(Map.Entry::getValue)
              .sum();
      return new long[] {runBytes, timerBytes};
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }
}

package io.weft.benchmarks;

import io.weft.core.api.Coordinator;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
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
 * of the latest record of each of their keys in the changelogs of its stores (the run's record, its
 * parameters, its index entry, its forEach children and its timers), divided by the runs. This is
 * what RocksDB holds before its own overhead and compression, and what a restore reads. (The state
 * directory's size on disk says little at this scale: RocksDB keeps recent writes in its memtable.)
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
      Map<String, Long> bytes = changelogs.await(runIds, deadline);
      long total = bytes.values().stream().mapToLong(Long::longValue).sum();
      double perRun = total / (double) runs;
      StringBuilder parts = new StringBuilder();
      bytes.forEach(
          (store, b) -> parts.append(String.format("%s %.0f B, ", store, b / (double) runs)));
      context
          .report()
          .add(
              Measure.of(NAME, "serialized state per in-flight run", perRun, "bytes", GOAL)
                  .withNote(
                      String.format(
                          "%,d parked runs (4-task diamond, first task dispatched); per run: %s"
                              + "keys and values as in the changelogs",
                          runs, parts)));
    }
  }

  /** Reads the coordinator's changelogs from their current ends, latest value per key. */
  private static final class ChangelogReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final String applicationId;
    private final Map<String, Map<String, Integer>> byStore = new TreeMap<>();

    ChangelogReader(WeftInstallation installation) throws Exception {
      Map<String, Object> props =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              installation.bootstrapServers(),
              ConsumerConfig.ISOLATION_LEVEL_CONFIG,
              "read_committed");
      this.consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      this.applicationId = installation.applicationId();
      List<String> topics;
      try (Admin admin =
          Admin.create(Map.of("bootstrap.servers", installation.bootstrapServers()))) {
        topics =
            admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"))
                .toList();
      }
      List<TopicPartition> partitions =
          topics.stream()
              .flatMap(
                  t ->
                      consumer.partitionsFor(t, Duration.ofSeconds(30)).stream()
                          .map(p -> new TopicPartition(t, p.partition())))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }

    /**
     * Reads until every run has its state; returns the bytes of those runs' records by store (runs,
     * run-params, runs-by-start, run-children, timers).
     */
    Map<String, Long> await(Set<String> runIds, long deadlineNanos) {
      // every run has its record and its index entry, written together
      while (!List.of("runs", "runs-by-start").stream()
          .allMatch(store -> covered(store).containsAll(runIds))) {
        if (System.nanoTime() > deadlineNanos) {
          throw new IllegalStateException(
              "The runs changelog holds "
                  + covered("runs").size()
                  + " of "
                  + runIds.size()
                  + " parked runs");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String store =
              r.topic()
                  .substring(
                      applicationId.length() + 1, r.topic().length() - "-changelog".length());
          Map<String, Integer> target = byStore.computeIfAbsent(store, s -> new HashMap<>());
          if (r.value() == null) {
            target.remove(r.key());
          } else {
            target.put(r.key(), r.serializedKeySize() + Math.max(0, r.serializedValueSize()));
          }
        }
      }
      Map<String, Long> bytes = new TreeMap<>();
      byStore.forEach(
          (store, records) ->
              bytes.put(
                  store,
                  records.entrySet().stream()
                      .filter(e -> runIds.contains(runIdOf(store, e.getKey())))
                      .mapToLong(Map.Entry::getValue)
                      .sum()));
      return bytes;
    }

    /** The runs {@code store} holds a record of. */
    private Set<String> covered(String store) {
      Set<String> runs = new HashSet<>();
      byStore.getOrDefault(store, Map.of()).keySet().forEach(k -> runs.add(runIdOf(store, k)));
      return runs;
    }

    /** The run a key of {@code store} belongs to. */
    private static String runIdOf(String store, String key) {
      String[] parts = key.split("\t");
      return switch (store) {
        case "timers" -> parts.length > 1 ? parts[1] : key;
        case "runs-by-start" -> parts[parts.length - 1];
        case "run-children" -> parts[0];
        default -> key;
      };
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }
}

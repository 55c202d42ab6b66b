package io.weft.benchmarks;

import io.weft.core.api.WeftTopics;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.results.TaskResult;
import io.weft.testkit.WeftInstallation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The committed task results of an installation, counted per attempt (run, task, attempt): read
 * {@code read_committed} from the beginning of the results topic to its end, one record at a time,
 * without keeping the records.
 */
final class ResultCounts {

  private final Map<String, Integer> perAttempt = new HashMap<>();

  ResultCounts() {}

  /** Reads the results topic up to its current end, within {@code timeout}. */
  static ResultCounts read(WeftInstallation installation, Duration timeout) {
    ResultCounts counts = new ResultCounts();
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            installation.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5000);
    String topic = installation.topics().results();
    try (KafkaConsumer<String, TaskReport> consumer =
        new KafkaConsumer<>(
            props,
            new StringDeserializer(),
            WeftTopics.RESULTS.deserializer(
                Map.of("schema.registry.url", installation.schemaRegistryUrl())))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!atEnd(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Reading " + topic + " took over " + timeout);
        }
        for (ConsumerRecord<String, TaskReport> record : consumer.poll(Duration.ofMillis(200))) {
          counts.add(record.value());
        }
      }
    }
    return counts;
  }

  private static boolean atEnd(
      KafkaConsumer<String, TaskReport> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  void add(TaskReport report) {
    if (report != null && report.getReport() instanceof TaskResult result) {
      perAttempt.merge(
          result.getRunId() + "/" + result.getTaskId() + "/" + result.getAttempt(),
          1,
          Integer::sum);
    }
  }

  /** Attempts with a committed result. */
  int attempts() {
    return perAttempt.size();
  }

  /** Attempts with more than one committed result: effects applied twice. */
  int duplicates() {
    return (int) perAttempt.values().stream().filter(n -> n > 1).count();
  }
}

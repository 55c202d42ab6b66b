package io.weft.cli;

import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.TaskScheduled;
import io.weft.schemas.events.TaskSucceeded;
import io.weft.schemas.serde.AvroDeserializer;
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
 * The mean duration of each task type's attempts that succeeded lately: the last events of every
 * partition of the events topic, a task's type from its {@code TaskScheduled}, its duration from
 * its {@code TaskSucceeded}.
 */
final class RecentDurations {

  private RecentDurations() {}

  /**
   * Mean seconds by task type, over the last {@code perPartition} events of each partition of
   * {@code eventsTopic}; types with no success among them are missing.
   */
  static Map<String, Double> meanSeconds(
      Map<String, Object> settings, String eventsTopic, int perPartition) {
    Map<String, String> typeOf = new HashMap<>();
    Map<String, double[]> sums = new HashMap<>(); // type -> {seconds, count}
    try (KafkaConsumer<String, RunEvent> consumer =
        new KafkaConsumer<>(
            consumerProps(settings),
            new StringDeserializer(),
            new AvroDeserializer<>(RunEvent.class, settings))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(eventsTopic, Kafka.CONNECT_TIMEOUT).stream()
              .map(p -> new TopicPartition(eventsTopic, p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Kafka.CONNECT_TIMEOUT);
      Map<TopicPartition, Long> starts =
          consumer.beginningOffsets(partitions, Kafka.CONNECT_TIMEOUT);
      for (TopicPartition partition : partitions) {
        consumer.seek(
            partition, Math.max(starts.get(partition), ends.get(partition) - perPartition));
      }
      long deadline = System.nanoTime() + Kafka.CONNECT_TIMEOUT.toNanos();
      while (!reached(consumer, ends) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, RunEvent> record : consumer.poll(Duration.ofMillis(200))) {
          fold(record.value(), typeOf, sums);
        }
      }
    }
    Map<String, Double> means = new HashMap<>();
    sums.forEach((type, sum) -> means.put(type, sum[0] / sum[1]));
    return means;
  }

  private static Map<String, Object> consumerProps(Map<String, Object> settings) {
    Map<String, Object> props = Kafka.adminProps(settings);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }

  private static boolean reached(
      KafkaConsumer<String, RunEvent> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static void fold(RunEvent event, Map<String, String> typeOf, Map<String, double[]> sums) {
    if (event == null) {
      return;
    }
    Object body = event.getEvent();
    if (body instanceof TaskScheduled scheduled) {
      typeOf.put(event.getRunId() + "/" + scheduled.getTaskId(), scheduled.getType());
    } else if (body instanceof TaskSucceeded succeeded) {
      String type = typeOf.get(event.getRunId() + "/" + succeeded.getTaskId());
      if (type != null) {
        double[] sum = sums.computeIfAbsent(type, t -> new double[2]);
        sum[0] += succeeded.getDurationMs() / 1000.0;
        sum[1]++;
      }
    }
  }
}

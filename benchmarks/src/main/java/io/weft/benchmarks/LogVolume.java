package io.weft.benchmarks;

import io.weft.testkit.WeftInstallation;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What a measured window cost: the log offsets written to the installation's topics (records and
 * transaction markers alike, each takes an offset) and the CPU time of this JVM, which holds the
 * broker, the coordinator and the in-process workers.
 */
final class LogVolume {

  /** A reading at one moment. */
  record Reading(long offsets, long cpuNanos) {}

  private LogVolume() {}

  static Reading read(WeftInstallation installation) throws Exception {
    String prefix = installation.topics().prefix();
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", installation.stack().bootstrapServers()))) {
      List<String> topics =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.startsWith(prefix))
              .toList();
      Map<TopicPartition, OffsetSpec> latest =
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
              .flatMap(
                  d ->
                      d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
              .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
      long offsets =
          admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
              .mapToLong(o -> o.offset())
              .sum();
      return new Reading(offsets, cpuNanos());
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}

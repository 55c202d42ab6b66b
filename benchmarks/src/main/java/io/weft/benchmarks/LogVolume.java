package io.weft.benchmarks;

import io.weft.testkit.WeftInstallation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What a measured window cost: the log offsets written to the installation's topics (records and
 * transaction markers alike, each takes an offset), the CPU time of this JVM, which holds the
 * broker, the coordinator and the in-process workers, the CPU time of the coordinator's stream
 * threads alone, and the bytes the broker took in on the coordinator's changelog topics (its {@code
 * BytesInPerSec} counters, read over JMX: the broker runs in this JVM).
 */
final class LogVolume {

  /**
   * A reading at one moment.
   *
   * @param changelogBytes bytes in on the coordinator's changelogs, or -1 if the broker's counters
   *     cannot be read
   */
  record Reading(long offsets, long cpuNanos, long coordinatorCpuNanos, long changelogBytes) {}

  private LogVolume() {}

  static Reading read(WeftInstallation installation) throws Exception {
    String prefix = installation.topics().prefix();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", installation.bootstrapServers()))) {
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
      return new Reading(
          offsets,
          cpuNanos(),
          streamThreadsCpuNanos(),
          changelogBytesIn(installation.applicationId()));
    }
  }

  /** CPU time of the live threads of the coordinator's Kafka Streams instances in this JVM. */
  static long streamThreadsCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("-StreamThread-")) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  /**
   * Bytes the broker in this JVM took in on the changelog topics of coordinator {@code
   * applicationId}, or -1 if its counters are not registered.
   */
  static long changelogBytesIn(String applicationId) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> names =
        server.queryNames(
            new ObjectName("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=*"),
            null);
    if (names.isEmpty()) {
      return -1;
    }
    long sum = 0;
    for (ObjectName name : names) {
      String topic = name.getKeyProperty("topic");
      if (topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")) {
        sum += ((Number) server.getAttribute(name, "Count")).longValue();
      }
    }
    return sum;
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}

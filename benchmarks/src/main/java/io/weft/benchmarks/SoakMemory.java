package io.weft.benchmarks;

import io.weft.testkit.ChildJvm;
import io.weft.testkit.KafkaCluster;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The memory of the soak's JVMs at its start and at its end: the first JVM of each Weft role at the
 * start, the latest at the end (replacements of killed JVMs are the role's later instances), and
 * each broker node at both (a restarted node is a new JVM).
 */
final class SoakMemory {

  private static final double MB = 1024 * 1024;

  private record Sample(long pid, JvmMemory.Reading reading) {}

  private final Map<String, Sample> start = new LinkedHashMap<>();
  private final Map<String, Sample> end = new LinkedHashMap<>();

  /** Reads the first JVM of each role and every broker node. */
  synchronized void atStart(SoakCast cast, KafkaCluster cluster) {
    read(start, cast, cluster, true);
  }

  /** Reads the latest JVM of each role and every broker node. */
  synchronized void atEnd(SoakCast cast, KafkaCluster cluster) {
    read(end, cast, cluster, false);
  }

  synchronized boolean hasStart() {
    return !start.isEmpty();
  }

  private static void read(
      Map<String, Sample> into, SoakCast cast, KafkaCluster cluster, boolean first) {
    for (SoakCast.Role role : SoakCast.Role.values()) {
      ChildJvm jvm = first ? cast.first(role) : cast.latest(role);
      into.put(role.label(), jvm == null ? null : sample(jvm.pid()));
    }
    for (int node : cluster.nodeIds()) {
      OptionalLong pid = cluster.pid(node);
      into.put("broker node " + node, pid.isPresent() ? sample(pid.getAsLong()) : null);
    }
  }

  private static Sample sample(long pid) {
    return new Sample(pid, JvmMemory.of(pid));
  }

  /**
   * Per JVM, its resident set and heap used at the start and at the end, in MB; the start one kill
   * interval into the load, before the first kill.
   */
  synchronized void addTo(Report report, String section) {
    if (start.isEmpty()) {
      report.add(
          Measure.notRun(
              section,
              "memory at start",
              null,
              "the load ended before the first kill, when it is read"));
    }
    Set<String> jvms = new LinkedHashSet<>(start.keySet());
    jvms.addAll(end.keySet());
    for (String jvm : jvms) {
      boolean broker = jvm.startsWith("broker");
      add(report, section, jvm + (broker ? "" : " (first JVM)") + " at start", start.get(jvm));
      add(report, section, jvm + (broker ? "" : " (latest JVM)") + " at end", end.get(jvm));
    }
  }

  private static void add(Report report, String section, String name, Sample sample) {
    if (sample == null) {
      report.add(Measure.notRun(section, "RSS " + name, null, "not read: no such JVM running"));
      return;
    }
    Measure rss = figure(section, "RSS " + name, sample.reading().rssBytes());
    report.add(rss.wasRun() ? rss.withNote("pid " + sample.pid()) : rss);
    report.add(figure(section, "heap used " + name, sample.reading().heapUsedBytes()));
  }

  private static Measure figure(String section, String name, long bytes) {
    if (bytes < 0) {
      return Measure.notRun(section, name, null, "could not be read");
    }
    return Measure.of(section, name, bytes / MB, "MB", null);
  }
}

package io.weft.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The CPU time of this JVM's live threads, by group of threads: a thread's name with its numbers
 * left out ({@code kafka-producer-network-thread | producer-7} and {@code ... | producer-9} are one
 * group), so that a window's CPU can be told apart by what spent it (the coordinator's stream
 * threads, the workers' poll and handler threads, the broker's request handlers, ...).
 */
final class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Each live thread's CPU time so far, and its group. */
  record Snapshot(Map<Long, Long> nanos, Map<Long, String> groups) {

    /**
     * The CPU each group spent from {@code before} to this snapshot, counting the threads alive at
     * both (a thread that started or ended in between is left out).
     */
    Map<String, Long> since(Snapshot before) {
      Map<String, Long> spent = new TreeMap<>();
      nanos.forEach(
          (id, now) -> {
            Long then = before.nanos().get(id);
            if (then != null && now >= then) {
              spent.merge(groups.get(id), now - then, Long::sum);
            }
          });
      return spent;
    }
  }

  private ThreadCpu() {}

  static Snapshot snapshot() {
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> groups = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0)) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        nanos.put(info.getThreadId(), cpu);
        groups.put(info.getThreadId(), group(info.getThreadName()));
      }
    }
    return new Snapshot(nanos, groups);
  }

  /**
   * {@code name} with a UUID, and the eight hex digits that end an installation's prefix ({@code
   * obs-1f2e3d4c.}), replaced by {@code *}, then each run of digits by {@code #}: the same group in
   * every installation.
   */
  static String group(String name) {
    return name.replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "*")
        .replaceAll("-[0-9a-f]{8}\\.", "-*.")
        .replaceAll("[0-9]+", "#");
  }

  /** What the JIT compilers' threads are called (Linux keeps 15 characters of a name). */
  private static final String JIT_THREADS = "C1 CompilerThre|C2 CompilerThre";

  private static final Pattern JIT = Pattern.compile(JIT_THREADS);

  /** What the JVM's own threads are called: the JIT's, the garbage collector's, the VM's. */
  private static final Pattern JVM_OWN =
      Pattern.compile(JIT_THREADS + "|GC Thread#.*|G1 .*|VM Thread|VM Periodic Tas|Sweeper thread");

  /**
   * The CPU time the JVM's own threads (the garbage collector's, the JIT compilers', the VM
   * thread), which the JDK does not report by thread, have spent so far: summed from Linux's
   * per-thread {@code schedstat}; 0 where there is none.
   */
  static long jvmOwnNanos() {
    return nanosOf(JVM_OWN);
  }

  /** The CPU time the JIT compilers have spent so far, as {@link #jvmOwnNanos} reads it. */
  static long jitNanos() {
    return nanosOf(JIT);
  }

  private static long nanosOf(Pattern threads) {
    long total = 0;
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) {
      return 0;
    }
    for (File task : tasks) {
      try {
        String name = Files.readString(task.toPath().resolve("comm")).strip();
        if (threads.matcher(name).matches()) {
          String stat = Files.readString(task.toPath().resolve("schedstat"));
          total += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        }
      } catch (IOException | RuntimeException e) {
        // the thread ended meanwhile, or there is no schedstat: counted as none
      }
    }
    return total;
  }
}

package io.weft.workers.internals.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a program's process tree used, sampled while it runs: the CPU time of each process (as the
 * OS reports it, the last sample of each kept) and the peak resident memory, the larger of the
 * tree's summed {@code VmRSS} and the program's own {@code VmHWM} (Linux {@code /proc}; elsewhere
 * memory is unknown). CPU used after a process's last sample is missed: up to one sampling interval
 * of each, and all of a process that starts and ends between two samples.
 */
public final class ProcessUsage {

  private final Map<Long, Long> cpuNanosByPid = new HashMap<>();
  private final Set<ProcessHandle> seen = new HashSet<>();
  private long peakBytes = -1;

  /** Samples {@code process} and its descendants now. */
  synchronized void sample(Process process) {
    List<ProcessHandle> tree =
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    long rss = 0;
    boolean known = false;
    seen.addAll(tree);
    for (ProcessHandle handle : tree) {
      handle
          .info()
          .totalCpuDuration()
          .map(Duration::toNanos)
          .ifPresent(cpu -> cpuNanosByPid.merge(handle.pid(), cpu, Math::max));
      long resident = statusKilobytes(handle.pid(), "VmRSS:");
      if (resident >= 0) {
        rss += resident * 1024;
        known = true;
      }
    }
    long highWater = statusKilobytes(process.pid(), "VmHWM:");
    if (known) {
      peakBytes = Math.max(peakBytes, rss);
    }
    if (highWater >= 0) {
      peakBytes = Math.max(peakBytes, highWater * 1024);
    }
  }

  /** Every process of the tree seen so far, the program's included. */
  synchronized List<ProcessHandle> seen() {
    return List.copyOf(seen);
  }

  /** The CPU time of the tree, in nanoseconds. */
  public synchronized long cpuNanos() {
    return cpuNanosByPid.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The peak resident memory, in bytes; -1 if unknown. */
  public synchronized long peakBytes() {
    return peakBytes;
  }

  /** A {@code kB} field of {@code /proc/<pid>/status}, or -1. */
  private static long statusKilobytes(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
        }
      }
    } catch (IOException | NumberFormatException | SecurityException e) {
      return -1; // the process ended meanwhile, or this is not Linux
    }
    return -1;
  }
}

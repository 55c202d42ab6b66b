package io.weft.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How busy the machine's cores were between two readings of Linux's {@code /proc/stat}: every
 * process counts, the worker JVMs of the scaling section included, which the harness JVM's own CPU
 * time does not show.
 */
final class MachineCpu {

  private static final Path STAT = Path.of("/proc/stat");

  /** Jiffies of all cores since boot: in total, and idle (idle and iowait). */
  record Reading(long total, long idle) {

    /** The fraction of the cores' time that was busy since {@code before}; NaN if unknown. */
    double busySince(Reading before) {
      long total = this.total - before.total;
      return total <= 0 || this.total < 0 || before.total < 0
          ? Double.NaN
          : (double) (total - (idle - before.idle)) / total;
    }
  }

  private MachineCpu() {}

  /** The machine's CPU counters now; negative (unknown) where there is no {@code /proc/stat}. */
  static Reading read() {
    try {
      List<String> lines = Files.readAllLines(STAT);
      return parse(lines.isEmpty() ? "" : lines.get(0));
    } catch (IOException | RuntimeException e) {
      return new Reading(-1, -1);
    }
  }

  /** Parses the first line of {@code /proc/stat}: {@code cpu user nice system idle iowait ...}. */
  static Reading parse(String cpuLine) {
    String[] fields = cpuLine.trim().split("\\s+");
    if (fields.length < 5 || !fields[0].equals("cpu")) {
      return new Reading(-1, -1);
    }
    long total = 0;
    for (int i = 1; i < fields.length; i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    return new Reading(total, idle);
  }
}

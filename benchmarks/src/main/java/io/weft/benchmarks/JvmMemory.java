package io.weft.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of a JVM on this machine, by process id: its resident set ({@code VmRSS} of {@code
 * /proc/<pid>/status}) and the heap it uses ({@code jcmd <pid> GC.heap_info}: the {@code used} of
 * each generation, Metaspace left out).
 */
final class JvmMemory {

  /**
   * One reading; -1 for what could not be read.
   *
   * @param rssBytes resident set size
   * @param heapUsedBytes heap in use
   */
  record Reading(long rssBytes, long heapUsedBytes) {

    static final Reading NONE = new Reading(-1, -1);
  }

  private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final long JCMD_TIMEOUT_S = 20;

  private JvmMemory() {}

  /** Reads process {@code pid}'s memory now. */
  static Reading of(long pid) {
    return new Reading(rss(pid), heapUsed(pid));
  }

  /** The resident set of {@code pid} in bytes, or -1 if it cannot be read. */
  static long rss(long pid) {
    try {
      return parseVmRss(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
    } catch (IOException e) {
      return -1;
    }
  }

  /** The heap {@code pid} uses in bytes, or -1 if {@code jcmd} cannot tell. */
  static long heapUsed(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Path out = null;
    try {
      out = Files.createTempFile("bench-heap-", ".txt");
      Process process =
          new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info")
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!process.waitFor(JCMD_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue() == 0
          ? parseHeapUsed(Files.readString(out, StandardCharsets.UTF_8))
          : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  /** {@code VmRSS} of a {@code /proc/<pid>/status} text, in bytes; -1 without one. */
  static long parseVmRss(String status) {
    Matcher m = VM_RSS.matcher(status);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  /**
   * The heap in use of a {@code GC.heap_info} answer, in bytes: the sum of the {@code used} of each
   * generation or region set ({@code total ...K, used ...K}); -1 without one.
   */
  static long parseHeapUsed(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1)) * 1024;
      found = true;
    }
    return found ? used : -1;
  }
}

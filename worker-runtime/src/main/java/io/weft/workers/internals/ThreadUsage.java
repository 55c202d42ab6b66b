package io.weft.workers.internals;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The current thread's CPU time and allocated bytes, where the JVM measures them (-1 where it does
 * not): what an attempt's handler used, read before and after it runs on its thread.
 */
final class ThreadUsage {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU =
      THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
  private static final com.sun.management.ThreadMXBean ALLOCATION =
      THREADS instanceof com.sun.management.ThreadMXBean sun
              && sun.isThreadAllocatedMemorySupported()
              && sun.isThreadAllocatedMemoryEnabled()
          ? sun
          : null;

  private ThreadUsage() {}

  static long cpuNanos() {
    return CPU ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  static long allocatedBytes() {
    return ALLOCATION == null ? -1 : ALLOCATION.getCurrentThreadAllocatedBytes();
  }

  /** {@code after - before}, or -1 if either is unknown. */
  static long since(long before, long after) {
    return before < 0 || after < 0 ? -1 : Math.max(0, after - before);
  }
}

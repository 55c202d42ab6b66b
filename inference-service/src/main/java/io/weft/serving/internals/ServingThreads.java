package io.weft.serving.internals;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inference service's threads: daemons named {@code prefix} and a number, e.g. {@code
 * weft-serving-http-3}. They are Netty's {@link FastThreadLocalThread}s, which its event loops and
 * buffer caches use best; any other pool is no worse off for it.
 */
public final class ServingThreads {

  private ServingThreads() {}

  /** A factory of daemon threads named {@code prefix} followed by 1, 2, ... */
  public static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> daemon(runnable, prefix + count.incrementAndGet());
  }

  /** A daemon thread of {@code name}, not started. */
  public static Thread daemon(Runnable runnable, String name) {
    Thread thread = new FastThreadLocalThread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}

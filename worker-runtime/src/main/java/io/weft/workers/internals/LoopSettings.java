package io.weft.workers.internals;

import io.weft.workers.api.ArtifactStore;
import io.weft.workers.api.WorkerConfig;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a task loop needs to know besides its clients.
 *
 * @param concurrency how many handlers run at once
 * @param window how many records of one partition may be in flight (taken, not committed) at once
 * @param maxResultBytes the largest result record the results topic and the producer accept
 * @param stopGraceNanos how long a handler told to stop may take to return before its attempt is
 *     abandoned
 */
record LoopSettings(
    String workerId,
    int concurrency,
    int window,
    Duration pollTimeout,
    long heartbeatNanos,
    ArtifactStore artifacts,
    int maxResultBytes,
    long stopGraceNanos) {

  static LoopSettings of(WorkerConfig config, ArtifactStore artifacts, int maxResultBytes) {
    return new LoopSettings(
        config.workerId(),
        config.concurrency(),
        config.windowPerPartition(),
        config.pollTimeout(),
        config.heartbeatInterval().toNanos(),
        artifacts,
        maxResultBytes,
        config.stopGrace().toNanos());
  }

  /**
   * The executor of a type's handlers: daemon threads, so that a handler that ignores cancellation
   * cannot keep the JVM alive after the worker closed. The loop runs at most {@code concurrency}
   * attempts at once; the executor has no bound of its own, so that a slot freed by abandoning a
   * handler (whose thread runs on) gets a new thread.
   */
  ExecutorService newExecutor(String type) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, "weft-task-" + type + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    return Executors.newCachedThreadPool(factory);
  }
}

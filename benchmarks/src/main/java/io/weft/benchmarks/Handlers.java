package io.weft.benchmarks;

import io.weft.testkit.HandlerFactory;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Task handlers of the benchmark. As a {@link HandlerFactory} (for worker JVMs of their own) it
 * serves types named {@code bench-io-*} with {@link #io}, {@code bench-cpu-*} with {@link #cpu},
 * {@code bench-noop-*} with {@link #noop}, and every other type with {@link #light}.
 */
public final class Handlers implements HandlerFactory {

  /** How long an I/O-like task waits. */
  static final long IO_MILLIS = 10;

  /** SHA-256 rounds over 4 KB of a CPU-bound task (a few milliseconds here). */
  static final int CPU_ROUNDS = 200;

  @Override
  public TaskHandler handler(String type) {
    if (type.startsWith("bench-io-")) {
      return io(type);
    }
    if (type.startsWith("bench-cpu-")) {
      return cpu(type);
    }
    if (type.startsWith("bench-noop-")) {
      return noop(type);
    }
    return light(type);
  }

  /** The body of a benchmark handler. */
  @FunctionalInterface
  private interface Work {
    void run(TaskContext context) throws Exception;
  }

  /** An I/O-like task: waits {@value #IO_MILLIS} ms, using no CPU, as a call to a service would. */
  static TaskHandler io(String type) {
    return handler(type, context -> TimeUnit.MILLISECONDS.sleep(IO_MILLIS)); // the I/O itself
  }

  /** A CPU-bound task: {@value #CPU_ROUNDS} SHA-256 digests of a 4 KB buffer. */
  static TaskHandler cpu(String type) {
    return handler(
        type,
        context -> {
          byte[] buffer = keyBuffer(context);
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          for (int i = 0; i < CPU_ROUNDS; i++) {
            buffer = Arrays.copyOf(sha.digest(buffer), buffer.length);
          }
        });
  }

  /** Does nothing and succeeds with no outputs. */
  static TaskHandler noop(String type) {
    return handler(type, context -> {});
  }

  /** A CPU-light task: one SHA-256 of a 4 KB buffer derived from the task's key. */
  static TaskHandler light(String type) {
    return handler(
        type, context -> MessageDigest.getInstance("SHA-256").digest(keyBuffer(context)));
  }

  /** 4 KB of the task's idempotency key, repeated. */
  private static byte[] keyBuffer(TaskContext context) {
    byte[] buffer = new byte[4096];
    byte[] key = context.idempotencyKey().getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = key[i % key.length];
    }
    return buffer;
  }

  private static TaskHandler handler(String type, Work work) {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return type;
      }

      @Override
      public TaskOutputs execute(TaskContext context) throws Exception {
        work.run(context);
        return TaskOutputs.empty();
      }
    };
  }
}

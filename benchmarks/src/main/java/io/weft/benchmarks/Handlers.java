package io.weft.benchmarks;

import io.weft.testkit.HandlerFactory;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Task handlers of the benchmark. As a {@link HandlerFactory} (for worker JVMs of their own) it
 * serves types named {@code bench-io-*} with {@link #io}, {@code bench-cpu-*} with {@link #cpu},
 * and every other type with {@link #light}.
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
    return light(type);
  }

  /** An I/O-like task: waits {@value #IO_MILLIS} ms, using no CPU, as a call to a service would. */
  static TaskHandler io(String type) {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return type;
      }

      @Override
      public TaskOutputs execute(TaskContext context) throws InterruptedException {
        java.util.concurrent.TimeUnit.MILLISECONDS.sleep(IO_MILLIS); // the simulated I/O itself
        return TaskOutputs.empty();
      }
    };
  }

  /** A CPU-bound task: {@value #CPU_ROUNDS} SHA-256 digests of a 4 KB buffer. */
  static TaskHandler cpu(String type) {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return type;
      }

      @Override
      public TaskOutputs execute(TaskContext context) throws NoSuchAlgorithmException {
        byte[] buffer = context.idempotencyKey().repeat(200).getBytes(StandardCharsets.UTF_8);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < CPU_ROUNDS; i++) {
          buffer = java.util.Arrays.copyOf(sha.digest(buffer), 4096);
        }
        return TaskOutputs.empty();
      }
    };
  }

  /** Does nothing and succeeds with no outputs. */
  static TaskHandler noop(String type) {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return type;
      }

      @Override
      public TaskOutputs execute(TaskContext context) {
        return TaskOutputs.empty();
      }
    };
  }

  /** A CPU-light task: one SHA-256 of a 4 KB buffer derived from the task's key. */
  static TaskHandler light(String type) {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return type;
      }

      @Override
      public TaskOutputs execute(TaskContext context) throws NoSuchAlgorithmException {
        byte[] buffer = new byte[4096];
        byte[] key = context.idempotencyKey().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < buffer.length; i++) {
          buffer[i] = key[i % key.length];
        }
        MessageDigest.getInstance("SHA-256").digest(buffer);
        return TaskOutputs.empty();
      }
    };
  }
}

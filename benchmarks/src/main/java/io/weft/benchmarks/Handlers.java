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
 * serves every type with {@link #light}.
 */
public final class Handlers implements HandlerFactory {

  @Override
  public TaskHandler handler(String type) {
    return light(type);
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

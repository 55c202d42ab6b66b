package io.weft.cli;

import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Task handlers for the command's tests, found through ServiceLoader like real ones. */
final class TestHandlers {

  private TestHandlers() {}

  /** Returns its params as outputs. */
  public static final class Echo implements TaskHandler {
    @Override
    public String taskType() {
      return "cli-echo";
    }

    @Override
    public TaskOutputs execute(TaskContext context) {
      TaskOutputs outputs = TaskOutputs.empty();
      for (var e : context.params().entrySet()) {
        outputs = outputs.with(e.getKey(), e.getValue());
      }
      return outputs;
    }
  }

  /** Runs until cancelled (at most a minute). */
  public static final class Block implements TaskHandler {
    @Override
    public String taskType() {
      return "cli-block";
    }

    @Override
    public TaskOutputs execute(TaskContext context) throws InterruptedException {
      CountDownLatch never = new CountDownLatch(1);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (!context.isCancelled() && System.nanoTime() < deadline) {
        never.await(50, TimeUnit.MILLISECONDS);
      }
      return TaskOutputs.empty();
    }
  }

  /** Runs until the test opens its run's gate (at most a minute). */
  public static final class Gate implements TaskHandler {
    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

    static void open(String runId) {
      OPEN.add(runId);
    }

    @Override
    public String taskType() {
      return "cli-gate";
    }

    @Override
    public TaskOutputs execute(TaskContext context) throws InterruptedException {
      CountDownLatch never = new CountDownLatch(1);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (!OPEN.contains(context.runId()) && System.nanoTime() < deadline) {
        never.await(20, TimeUnit.MILLISECONDS);
      }
      return TaskOutputs.empty().with("opened", OPEN.contains(context.runId()));
    }
  }

  /** Fails the first attempt of each run without retry; succeeds after a retry of the run. */
  public static final class Flaky implements TaskHandler {
    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    @Override
    public String taskType() {
      return "cli-flaky";
    }

    @Override
    public TaskOutputs execute(TaskContext context) {
      if (FAILED.add(context.runId())) {
        throw new TaskFailedException("first attempt of " + context.runId() + " fails", false);
      }
      return TaskOutputs.empty().with("recovered", true);
    }
  }
}

package io.weft.it;

import io.weft.testkit.HandlerFactory;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskHandler;
import io.weft.workers.api.TaskOutputs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Task handlers for the engine's integration tests, by type. Every execution is recorded by
 * idempotency key, so a test can count how often each attempt ran in this JVM.
 */
public final class TestHandlers implements HandlerFactory {

  /** Idempotency keys of every execution in this JVM, in order. */
  static final ConcurrentLinkedQueue<String> EXECUTIONS = new ConcurrentLinkedQueue<>();

  /** Idempotency keys of executions that saw their cancel signal. */
  static final ConcurrentLinkedQueue<String> SAW_CANCEL = new ConcurrentLinkedQueue<>();

  /** Start times of executions by idempotency key. */
  static final Map<String, Instant> STARTED = new ConcurrentHashMap<>();

  @Override
  public TaskHandler handler(String type) {
    return of(type);
  }

  /**
   * A handler of {@code type}: "step", "flaky", "failing", "hang", "slow-first" (attempt 1 hangs,
   * later ones succeed), "deaf-first" (attempt 1 runs 30 s whatever it is told, later ones
   * succeed), "slow", "artifact" (an artifact output, {@code model}) or "sized" (an output of param
   * {@code bytes} characters), or a built-in task type (found with {@link java.util.ServiceLoader},
   * as {@code weft worker} finds them).
   */
  static TaskHandler of(String type) {
    return switch (type) {
      case "step" ->
          handler(
              type,
              c ->
                  TaskOutputs.empty()
                      .with("from", c.taskId())
                      .with("upstream", c.upstream().keySet().stream().sorted().toList()));
      case "flaky" -> handler(type, TestHandlers::flaky);
      case "failing" ->
          handler(
              type,
              c -> {
                throw new IllegalStateException("always fails: " + c.idempotencyKey());
              });
      case "hang" -> handler(type, TestHandlers::hang);
      case "slow-first" ->
          handler(
              type,
              c -> {
                if (c.attempt() == 1) {
                  hang(c);
                }
                return TaskOutputs.empty().with("attempt", c.attempt());
              });
      case "deaf-first" ->
          handler(
              type,
              c -> {
                if (c.attempt() == 1) {
                  ignoreEveryStopSignal(c);
                }
                return TaskOutputs.empty().with("attempt", c.attempt());
              });
      case "slow" -> handler(type, TestHandlers::slow);
      case "artifact" ->
          handler(
              type,
              c ->
                  TaskOutputs.empty()
                      .with(
                          "model",
                          c.putArtifact(
                              "model.bin",
                              new ByteArrayInputStream(
                                  c.idempotencyKey().getBytes(StandardCharsets.UTF_8)),
                              "application/octet-stream")));
      case "sized" ->
          handler(
              type, c -> TaskOutputs.empty().with("blob", "x".repeat(c.param("bytes").asInt())));
      default -> new HandlerFactory.ServiceLoaded().handler(type);
    };
  }

  /** Fails until the attempt given by param {@code succeedOn}, then succeeds. */
  private static TaskOutputs flaky(TaskContext context) {
    int succeedOn = context.param("succeedOn").asInt();
    if (context.attempt() < succeedOn) {
      throw new IllegalStateException("attempt " + context.attempt() + " fails on purpose");
    }
    return TaskOutputs.empty().with("attempt", context.attempt());
  }

  /** Runs until cancelled or past its deadline (bounded), never finishing on its own. */
  private static TaskOutputs hang(TaskContext context) throws InterruptedException {
    Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
    try {
      while (!context.isCancelled()
          && Instant.now().isBefore(giveUp)
          && Instant.now().isBefore(context.deadline().plusSeconds(10))) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
    } finally {
      // the runtime may interrupt a cancelled handler as well as flag it
      if (context.isCancelled()) {
        SAW_CANCEL.add(context.idempotencyKey());
      }
    }
    throw new TaskFailedException("gave up hanging", true);
  }

  /** Runs 30 s, ignoring cancellation and interrupts, as a handler that never checks would. */
  private static void ignoreEveryStopSignal(TaskContext context) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException ignored) {
        // on purpose: this handler does not stop when told
      }
    }
    if (context.isCancelled()) {
      SAW_CANCEL.add(context.idempotencyKey());
    }
  }

  /** Works for param {@code millis} milliseconds, checking for cancellation. */
  private static TaskOutputs slow(TaskContext context) throws InterruptedException {
    long until =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(context.param("millis").asLong());
    while (System.nanoTime() < until && !context.isCancelled()) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return TaskOutputs.empty().with("from", context.taskId());
  }

  private static TaskHandler handler(String type, Handlers.Body work) {
    return Handlers.handler(
        type,
        context -> {
          EXECUTIONS.add(context.idempotencyKey());
          STARTED.put(context.idempotencyKey(), Instant.now());
          return work.execute(context);
        });
  }
}

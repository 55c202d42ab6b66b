package io.weft.serving.internals;

import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model whose concurrent requests are merged into one forward pass, as Triton's dynamic batcher
 * does: a request waits at most {@code maxDelay} for others; the batch takes requests in arrival
 * order while their rows fit in {@code maxBatch}; the inputs are stacked along the batch dimension,
 * the model runs once, and each request gets its own rows of every output back. At most {@code
 * concurrency} forward passes run at once, each on a thread of its own that forms its batch itself;
 * while they run, requests queue up, and the next batch takes as many as fit without waiting more.
 * A request only queues: it wakes a thread only if it is the first, or fills a batch, so a batch of
 * n requests costs two wake-ups, not n.
 *
 * <p>Requests whose inputs differ beyond the batch dimension (a model with a second dimension of
 * any size) go in separate batches. A request of {@code maxBatch} rows or more runs alone, at once.
 * A failed forward pass fails every request in it with the same error.
 */
public final class DynamicBatcher extends ForwardingServable {

  private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** The most input bytes of one merged forward pass: a batch closes before it would pass it. */
  static final long MAX_BATCH_BYTES = 1L << 30;

  private final String name;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final IntConsumer forwardPass;
  private final List<Thread> runners = new ArrayList<>();

  /** Held by the one runner forming a batch; the others wait for it. */
  private final ReentrantLock forming = new ReentrantLock();

  /** Guards the queue and its totals; {@link #arrived} wakes the runner forming a batch. */
  private final ReentrantLock lock = new ReentrantLock();

  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long queuedRows;
  private long queuedBytes;
  private boolean closed;

  /**
   * @param model a model that {@link Servable#isBatchable() can be batched}
   * @param forwardPass told the rows of every forward pass
   */
  public DynamicBatcher(
      Servable model,
      String name,
      int maxBatch,
      long maxDelayMicros,
      int concurrency,
      IntConsumer forwardPass) {
    super(requireBatchable(model, name));
    this.name = name;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(maxDelayMicros);
    this.forwardPass = forwardPass;
    int id = THREADS.incrementAndGet();
    for (int i = 1; i <= concurrency; i++) {
      Thread runner =
          ServingThreads.daemon(
              this::runBatches, "weft-serving-batch-" + id + "-" + name + "-" + i);
      runners.add(runner);
      runner.start();
    }
  }

  /**
   * Runs {@code inputs} in a merged forward pass and waits for its answer. The caller holds its
   * model version until then, interrupted or not: the version must not be closed under a forward
   * pass that still uses its inputs.
   */
  @Override
  public List<Tensor> infer(List<Tensor> inputs) {
    int rows = (int) inputs.get(0).rows();
    if (rows >= maxBatch) {
      forwardPass.accept(rows);
      return model.infer(inputs);
    }
    CompletableFuture<List<Tensor>> answer = submit(inputs);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return answer.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw new CompletionException(e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Queues {@code inputs} for a merged forward pass without waiting: the answer completes, on the
   * thread that ran the pass, with the request's own rows of every output, or with the pass's
   * failure. A request of {@code maxBatch} rows or more is a batch of its own. The caller keeps its
   * model version until the answer completes.
   */
  public CompletableFuture<List<Tensor>> submit(List<Tensor> inputs) {
    long bytes = 0;
    for (Tensor input : inputs) {
      bytes += input.data().remaining();
    }
    Pending pending =
        new Pending(
            inputs,
            (int) inputs.get(0).rows(),
            bytes,
            System.nanoTime(),
            new CompletableFuture<>());
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("model '" + name + "' is closed"));
      }
      queue.add(pending);
      queuedRows += pending.rows;
      queuedBytes += pending.bytes;
      if (queue.size() == 1 || queuedRows >= maxBatch || queuedBytes >= MAX_BATCH_BYTES) {
        arrived.signal(); // a runner waits for a first request, or for a full batch
      }
    } finally {
      lock.unlock();
    }
    return pending.answer;
  }

  private static Servable requireBatchable(Servable model, String name) {
    if (!model.isBatchable()) {
      throw new IllegalArgumentException("model '" + name + "' cannot be batched");
    }
    return model;
  }

  /** Requests waiting for a forward pass. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** A runner: forms a batch while no other runner does, runs it, and again, until closed. */
  private void runBatches() {
    try {
      while (true) {
        List<Pending> batch;
        forming.lock();
        try {
          batch = nextBatch();
        } finally {
          forming.unlock();
        }
        if (batch == null) {
          return;
        }
        run(batch);
      }
    } catch (InterruptedException e) {
      // not interrupted by the batcher; a runner interrupted otherwise stops
    } catch (RuntimeException e) {
      log.error("A batch runner of model '{}' stopped: {}", name, e.getMessage(), e);
    }
  }

  /**
   * Waits for a request, then until the batch is full or the first has waited enough, and takes the
   * requests that fit, in order.
   *
   * @return null once the batcher is closed
   */
  private List<Pending> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        arrived.await();
      }
      if (closed) {
        return null;
      }
      long deadline = queue.peekFirst().arrivedNanos + maxDelayNanos;
      long wait;
      while (!closed
          && queuedRows < maxBatch
          && queuedBytes < MAX_BATCH_BYTES
          && (wait = deadline - System.nanoTime()) > 0) {
        arrived.awaitNanos(wait);
      }
      Pending first = queue.pollFirst();
      List<Pending> batch = new ArrayList<>();
      batch.add(first);
      int rows = first.rows;
      long bytes = first.bytes;
      while (rows < maxBatch && !queue.isEmpty()) {
        Pending next = queue.peekFirst();
        if (rows + next.rows > maxBatch
            || bytes + next.bytes > MAX_BATCH_BYTES
            || !stackable(first, next)) {
          break; // the first of the next batch
        }
        batch.add(queue.pollFirst());
        rows += next.rows;
        bytes += next.bytes;
      }
      queuedRows -= rows;
      queuedBytes -= bytes;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void run(List<Pending> batch) {
    try {
      if (batch.size() == 1) {
        Pending only = batch.get(0);
        forwardPass.accept(only.rows);
        only.answer.complete(model.infer(only.inputs));
        return;
      }
      int rows = batch.stream().mapToInt(Pending::rows).sum();
      forwardPass.accept(rows);
      List<Tensor> outputs = model.infer(stack(batch, rows));
      split(batch, rows, outputs);
    } catch (Throwable e) { // every request waiting must hear of it, whatever it is
      batch.forEach(pending -> pending.answer.completeExceptionally(e));
    }
  }

  private static boolean stackable(Pending a, Pending b) {
    for (int i = 0; i < a.inputs.size(); i++) {
      long[] left = a.inputs.get(i).shape();
      long[] right = b.inputs.get(i).shape();
      if (!Arrays.equals(left, 1, left.length, right, 1, right.length)) {
        return false;
      }
    }
    return true;
  }

  /** Each input of the batch's requests, stacked along the first dimension. */
  private static List<Tensor> stack(List<Pending> batch, int rows) {
    List<Tensor> first = batch.get(0).inputs;
    List<Tensor> stacked = new ArrayList<>(first.size());
    for (int i = 0; i < first.size(); i++) {
      long bytes = 0;
      for (Pending pending : batch) {
        bytes += pending.inputs.get(i).data().remaining();
      }
      ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(bytes)); // within MAX_BATCH_BYTES
      for (Pending pending : batch) {
        data.put(pending.inputs.get(i).data());
      }
      long[] shape = first.get(i).shape();
      shape[0] = rows;
      stacked.add(new Tensor(first.get(i).name(), first.get(i).type(), shape, data.flip()));
    }
    return stacked;
  }

  /** Gives each request its rows of every output. */
  private void split(List<Pending> batch, int rows, List<Tensor> outputs) {
    for (Tensor output : outputs) {
      if (output.rows() != rows) {
        throw new IllegalStateException(
            "model '"
                + name
                + "' answered output '"
                + output.name()
                + "' with "
                + output.rows()
                + " rows for a batch of "
                + rows
                + "; it cannot be batched (set its serve.batching max.batch to 1)");
      }
    }
    List<List<Tensor>> answers = new ArrayList<>();
    batch.forEach(pending -> answers.add(new ArrayList<>(outputs.size())));
    for (Tensor output : outputs) {
      ByteBuffer data = output.data();
      int rowBytes = data.remaining() / rows;
      int offset = 0;
      for (int r = 0; r < batch.size(); r++) {
        int n = batch.get(r).rows;
        long[] shape = output.shape();
        shape[0] = n;
        ByteBuffer part = data.slice(offset, n * rowBytes);
        answers.get(r).add(new Tensor(output.name(), output.type(), shape, part));
        offset += n * rowBytes;
      }
    }
    for (int r = 0; r < batch.size(); r++) {
      batch.get(r).answer.complete(answers.get(r));
    }
  }

  /**
   * Stops batching and closes the model; called once no request uses it. Waits for a forward pass
   * still running, even if this thread is interrupted: the model must not be closed under it.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread runner : runners) {
      while (runner.isAlive()) {
        try {
          runner.join(TimeUnit.SECONDS.toMillis(10));
          if (runner.isAlive()) {
            log.warn("Model '{}' waits for a forward pass to end before it closes", name);
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    IllegalStateException closedError = new IllegalStateException("model '" + name + "' closed");
    lock.lock();
    try {
      queue.forEach(left -> left.answer.completeExceptionally(closedError));
      queue.clear();
    } finally {
      lock.unlock();
    }
    model.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private record Pending(
      List<Tensor> inputs,
      int rows,
      long bytes,
      long arrivedNanos,
      CompletableFuture<List<Tensor>> answer) {}
}

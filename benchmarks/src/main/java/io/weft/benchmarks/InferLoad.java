package io.weft.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closed-loop load on an inference call: {@code threads} client threads, each sending its share of
 * the requests one after another, every call timed.
 */
final class InferLoad {

  /** One call; {@code request} numbers the call, to cycle through prepared inputs. */
  @FunctionalInterface
  interface Call {
    void run(int request) throws Exception;
  }

  /**
   * Timings of one side of a comparison.
   *
   * @param rowsPerSecond rows answered per second of wall time, all threads together
   */
  record Timing(double rowsPerSecond, double p50Millis, double p99Millis, int requests) {}

  /**
   * The share of a warm-up chunk's wall time the JIT may still spend compiling for the code to
   * count as warm.
   */
  static final double SETTLED_JIT_SHARE = 0.02;

  private InferLoad() {}

  /**
   * Warms {@code call} up: {@code requests} calls, then more, half as many at a time, until the JIT
   * compilers spent at most {@value #SETTLED_JIT_SHARE} of a chunk's wall time compiling, or the
   * plan's {@link Plan#inferWarmUpChunks} chunks later. A fixed count is not enough here: with a
   * broker, a registry and the service in one JVM, the JIT still compiles a request's path
   * thousands of requests in, and what it spends then would be counted against the side measured.
   */
  static void warmUp(Call call, int requests, Plan plan, int rows, int threads) throws Exception {
    time(call, requests, rows, threads);
    int chunk = Math.max(threads, requests / 2);
    for (int extra = 0; extra < plan.inferWarmUpChunks(); extra++) {
      long jit = ThreadCpu.jitNanos();
      long began = System.nanoTime();
      time(call, chunk, rows, threads);
      if (ThreadCpu.jitNanos() - jit <= SETTLED_JIT_SHARE * (System.nanoTime() - began)) {
        return;
      }
    }
  }

  /** Runs {@code requests} calls of {@code rows} rows each on {@code threads} threads. */
  static Timing time(Call call, int requests, int rows, int threads) throws Exception {
    int each = Math.max(1, requests / threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Double>>> parts = new ArrayList<>();
      long began = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int offset = t * 7; // threads start on different inputs
        parts.add(
            pool.submit(
                () -> {
                  List<Double> latencies = new ArrayList<>(each);
                  for (int i = 0; i < each; i++) {
                    long t0 = System.nanoTime();
                    call.run(offset + i);
                    latencies.add((System.nanoTime() - t0) / 1e6);
                  }
                  return latencies;
                }));
      }
      List<Double> latencies = new ArrayList<>();
      for (Future<List<Double>> part : parts) {
        latencies.addAll(part.get());
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      Percentiles percentiles = new Percentiles(latencies);
      return new Timing(
          (double) latencies.size() * rows / seconds,
          percentiles.at(50),
          percentiles.at(99),
          latencies.size());
    } finally {
      pool.shutdownNow();
    }
  }
}

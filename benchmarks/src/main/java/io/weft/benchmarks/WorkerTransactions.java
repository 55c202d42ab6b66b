package io.weft.benchmarks;

import io.weft.workers.api.Worker;
import java.util.Collection;

/**
 * The transactions that in-process workers committed and the task results those carried, summed
 * over the workers ({@link Worker#transactions()}, {@link Worker#committedResults()}): read before
 * and after a measured window, their difference is what the window committed. Workers in other JVMs
 * cannot be read this way.
 */
final class WorkerTransactions {

  /** The workers' counters at one moment, or their difference over a window. */
  record Reading(long transactions, long results) {

    /** What was committed between {@code earlier} and this reading. */
    Reading since(Reading earlier) {
      return new Reading(transactions - earlier.transactions, results - earlier.results);
    }
  }

  private WorkerTransactions() {}

  static Reading read(Collection<Worker> workers) {
    long transactions = 0;
    long results = 0;
    for (Worker worker : workers) {
      transactions += worker.transactions();
      results += worker.committedResults();
    }
    return new Reading(transactions, results);
  }
}

package io.weft.workers.internals;

import java.util.concurrent.atomic.LongAdder;

/** The worker's counters, shared by its task loops. */
public final class WorkerCounters {

  public final LongAdder executions = new LongAdder();
  public final LongAdder failures = new LongAdder();
  public final LongAdder deadLettered = new LongAdder();
  public final LongAdder expired = new LongAdder();
  public final LongAdder rebalances = new LongAdder();

  /** Attempts abandoned because their handler did not return within the stop grace. */
  public final LongAdder abandoned = new LongAdder();
}

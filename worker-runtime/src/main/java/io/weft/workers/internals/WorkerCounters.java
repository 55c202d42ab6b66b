package io.weft.workers.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The worker's counters, shared by its task loops, and the meters of each task type in its
 * registry.
 */
public final class WorkerCounters {

  private final MeterRegistry registry;
  private final Map<String, TypeMeters> types = new ConcurrentHashMap<>();

  /** Counters whose meters go to a registry of their own (tests). */
  public WorkerCounters() {
    this(new SimpleMeterRegistry());
  }

  public WorkerCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of task type {@code type}. */
  public TypeMeters type(String type) {
    return types.computeIfAbsent(type, t -> new TypeMeters(registry, t));
  }

  public MeterRegistry registry() {
    return registry;
  }

  public final LongAdder executions = new LongAdder();
  public final LongAdder failures = new LongAdder();
  public final LongAdder deadLettered = new LongAdder();
  public final LongAdder expired = new LongAdder();
  public final LongAdder rebalances = new LongAdder();

  /**
   * Requests skipped, their offset committed, because their attempt (or a later attempt of their
   * task) already had a committed result when their partition was assigned without a committed
   * offset ({@code MissingOffsets}); counted when the offset commits.
   */
  public final LongAdder alreadyDone = new LongAdder();

  /** Attempts abandoned because their handler did not return within the stop grace. */
  public final LongAdder abandoned = new LongAdder();

  /**
   * Transactions the task loops committed ({@code GroupCommit}), counted when the producer reported
   * the commit successful: each carries what finished by one turn or one revocation, of every
   * partition (results, dead letters and input offsets). One that carried only dead letters or
   * expired requests' offsets counts too; one that failed and was aborted does not.
   */
  public final LongAdder transactions = new LongAdder();

  /**
   * {@code TaskResult} records in the committed {@link #transactions}: one per attempt whose result
   * committed, SUCCEEDED or FAILED (a result over the size limit counts once, as the FAILED result
   * that replaced it). Dead letters, expired requests and those already done carry no result and
   * are not counted.
   */
  public final LongAdder committedResults = new LongAdder();
}

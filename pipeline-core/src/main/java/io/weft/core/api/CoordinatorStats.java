package io.weft.core.api;

/** Counts of what a coordinator instance did since it started. */
public interface CoordinatorStats {

  /** Run events written. */
  long events();

  /** Task attempts dispatched. */
  long dispatched();

  /** Stale or duplicate inputs that changed nothing (old attempts, finished tasks or runs). */
  long ignored();

  /** Records set aside on the dead-letter topic. */
  long deadLettered();

  /**
   * Runs failed with {@code weft.InternalError} because processing one of their inputs or timers
   * threw; each such input is also copied to the dead-letter topic.
   */
  long internalErrors();

  /**
   * Commands and reports found on another partition than their run's (a producer with another
   * partitioner, or an explicit partition) and sent on to their run's partition.
   */
  long rerouted();

  /**
   * Runs failed with {@code weft.TooLarge} because their state would have passed {@code
   * weft.max.record.bytes}.
   */
  long tooLarge();
}

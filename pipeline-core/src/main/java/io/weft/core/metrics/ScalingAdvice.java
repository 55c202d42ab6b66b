package io.weft.core.metrics;

/**
 * How many worker processes a task type needs, by Little's law: to keep up, {@code arrivals x mean
 * duration} handler slots are busy on average; to clear a backlog of {@code lag} requests within
 * the drain target, {@code lag x mean duration / drain} more. Processes are those slots over each
 * process's concurrency, rounded up, at least one while there is work, and at most the task topic's
 * partition count (a process with no partition takes nothing).
 *
 * @param lag requests on the task topic not yet taken by a worker
 * @param arrivalsPerSecond requests dispatched to the type per second, recently
 * @param meanSeconds the mean duration of its attempts, recently; NaN if unknown
 * @param partitions the task topic's partition count
 */
public record ScalingAdvice(
    long lag, double arrivalsPerSecond, double meanSeconds, int partitions) {

  /** How soon a backlog should be cleared unless told otherwise: five minutes. */
  public static final double DEFAULT_DRAIN_SECONDS = 300;

  /**
   * {@link #slotsNeeded}, or one slot while there is work of unknown duration, none without work:
   * what a worker's gauge shows.
   */
  public double slotsOrOne(double drainSeconds) {
    if (lag == 0 && arrivalsPerSecond == 0) {
      return 0;
    }
    double slots = slotsNeeded(drainSeconds);
    return Double.isNaN(slots) ? 1 : slots;
  }

  /** Handler slots busy on average to keep up and to drain the backlog in {@code drainSeconds}. */
  public double slotsNeeded(double drainSeconds) {
    if (Double.isNaN(meanSeconds)) {
      return Double.NaN;
    }
    return arrivalsPerSecond * meanSeconds + lag * meanSeconds / drainSeconds;
  }

  /**
   * Worker processes to run, each with {@code concurrency} handler slots: none without work, and
   * one while there is work but no known duration (nothing of the type finished lately).
   */
  public int processes(int concurrency, double drainSeconds) {
    if (lag == 0 && arrivalsPerSecond == 0) {
      return 0;
    }
    double slots = slotsNeeded(drainSeconds);
    int wanted = Double.isNaN(slots) ? 1 : (int) Math.ceil(slots / concurrency);
    return Math.max(1, Math.min(partitions, wanted));
  }
}

package io.weft.workers.internals;

/** Why a running attempt was told to stop. */
public enum CancelReason {
  /** The coordinator stopped the run (RunCancelled or RunFailed): the result is still committed. */
  RUN_STOPPED,
  /** The coordinator timed the attempt out (TaskTimedOut): the result is still committed. */
  TIMED_OUT,
  /** The worker lost the request's partition: the result is discarded. */
  PARTITION_LOST,
  /** The worker shut down before the attempt finished: the result is discarded. */
  SHUTDOWN
}

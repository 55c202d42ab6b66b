package io.weft.workers.internals;

import org.apache.kafka.common.TopicPartition;

/**
 * A record a task loop took and whose offset it has not committed yet: an attempt ({@link
 * Execution}), a request waiting for resources ({@link Held}), or a record settled without a
 * handler ({@link Settled}). Poll-thread only, but for {@link #isFinished}.
 */
sealed interface Pending permits Execution, Held, Settled {

  TopicPartition partition();

  long offset();

  /** Whether its outcome is ready to commit. */
  boolean isFinished();

  /** The backoff between attempts to commit it. */
  Backoff commitBackoff();
}

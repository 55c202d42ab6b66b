package io.weft.core.internals.coordinator;

import java.time.Duration;

/**
 * How the coordinator's run processor works.
 *
 * @param timerInterval how often due timers are scanned (wall clock)
 * @param runRetention how long a finished run's state is kept
 * @param partitions the partitions of the run-keyed topics (commands, results, events)
 * @param maxRecordBytes the largest run state, event or task request written; a run that would
 *     write a larger one fails with {@code weft.TooLarge}
 */
public record ProcessingSettings(
    Duration timerInterval, Duration runRetention, int partitions, int maxRecordBytes) {

  public ProcessingSettings {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
  }
}

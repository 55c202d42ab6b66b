package io.weft.core.internals.coordinator;

import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A wall-clock timer of the coordinator: a task attempt's deadline, or the moment its next attempt
 * is due. Kept in a store ordered by {@link #key()}, so the due timers are a range scan.
 */
public record Timer(Instant at, String runId, String taskId, int attempt, Kind kind) {

  public enum Kind {
    /** The attempt times out unless a result came first. */
    TIMEOUT,
    /** The task's next attempt (or first planning, after RetryRun) is due. */
    RETRY,
    /** The finished run's retention is over: its state is deleted. */
    EXPIRE
  }

  /** The timer that deletes {@code run}'s state {@code retention} after it finished; if it did. */
  public static Optional<Timer> expiry(RunState run, Duration retention) {
    if (run.getStatus() == RunStatus.RUNNING || run.getFinishedAt() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Timer(run.getFinishedAt().plus(retention), run.getRunId(), "", 0, Kind.EXPIRE));
  }

  private static final char SEP = '\t';

  /** Sorts by time first: {@code <13-digit millis>\t<runId>\t<taskId>\t<attempt>\t<kind>}. */
  public String key() {
    return String.format("%013d", Math.max(0, at.toEpochMilli()))
        + SEP
        + runId
        + SEP
        + taskId
        + SEP
        + attempt
        + SEP
        + kind;
  }

  /** The key of every timer due at or before {@code now} is below this bound. */
  public static String upperBound(Instant now) {
    return String.format("%013d", now.toEpochMilli() + 1);
  }

  public static Timer parse(String key) {
    String[] parts = key.split(String.valueOf(SEP), -1);
    return new Timer(
        Instant.ofEpochMilli(Long.parseLong(parts[0])),
        parts[1],
        parts[2],
        Integer.parseInt(parts[3]),
        Kind.valueOf(parts[4]));
  }
}

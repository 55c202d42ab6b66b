package io.weft.benchmarks;

import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.events.RunSucceeded;
import io.weft.schemas.events.TaskSucceeded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the committed event log says of the soak's runs: when each started and ended, how it ended,
 * and how many times each of its tasks succeeded. Fed by an {@link EventTap} from the beginning of
 * the events topic; read by the soak while the tap runs.
 */
final class SoakLedger implements EventTap.Listener {

  /** How a run ended, as far as the committed log says. */
  enum End {
    NONE,
    SUCCEEDED,
    FAILED,
    CANCELLED
  }

  private static final class Track {
    private Instant started;
    private Instant ended;
    private End end = End.NONE;
    private final Map<String, Integer> successes = new HashMap<>();
  }

  /**
   * The soak's verdict on its runs.
   *
   * @param started runs the client had acknowledged
   * @param succeeded of those, runs with a committed {@code RunSucceeded}
   * @param failed of those, runs with a committed {@code RunFailed} or {@code RunCancelled}
   * @param lost of those, runs with no final event
   * @param duplicateSuccesses tasks (run, task), of any run, with more than one committed {@code
   *     TaskSucceeded}
   * @param latenciesMs {@code RunStarted} to {@code RunSucceeded} of each succeeded run, from the
   *     events' timestamps (when the coordinator recorded them)
   */
  record Summary(
      int started,
      int succeeded,
      int failed,
      int lost,
      int duplicateSuccesses,
      List<Long> latenciesMs) {}

  private final Map<String, Track> runs = new HashMap<>();

  @Override
  public synchronized void onEvent(RunEvent event, long recordTimestamp, long receivedNanos) {
    Track track = runs.computeIfAbsent(event.getRunId(), id -> new Track());
    Object body = event.getEvent();
    if (body instanceof RunStarted) {
      track.started = event.getTimestamp();
    } else if (body instanceof TaskSucceeded succeeded) {
      track.successes.merge(succeeded.getTaskId(), 1, Integer::sum);
    } else if (body instanceof RunSucceeded) {
      ended(track, End.SUCCEEDED, event.getTimestamp());
    } else if (body instanceof RunFailed) {
      ended(track, End.FAILED, event.getTimestamp());
    } else if (body instanceof RunCancelled) {
      ended(track, End.CANCELLED, event.getTimestamp());
    }
  }

  private static void ended(Track track, End end, Instant at) {
    if (track.end == End.NONE) {
      track.end = end;
      track.ended = at;
    }
  }

  /** How many of {@code runIds} have a committed final event. */
  synchronized int ended(Collection<String> runIds) {
    int ended = 0;
    for (String runId : runIds) {
      Track track = runs.get(runId);
      if (track != null && track.end != End.NONE) {
        ended++;
      }
    }
    return ended;
  }

  /** The verdict on {@code startedRuns} (the runs the client had acknowledged). */
  synchronized Summary summarize(Collection<String> startedRuns) {
    int succeeded = 0;
    int failed = 0;
    int lost = 0;
    List<Long> latencies = new ArrayList<>();
    for (String runId : startedRuns) {
      Track track = runs.get(runId);
      End end = track == null ? End.NONE : track.end;
      switch (end) {
        case SUCCEEDED -> {
          succeeded++;
          if (track.started != null) {
            latencies.add(track.ended.toEpochMilli() - track.started.toEpochMilli());
          }
        }
        case FAILED, CANCELLED -> failed++;
        case NONE -> lost++;
      }
    }
    int duplicates = 0;
    for (Track track : runs.values()) {
      duplicates += (int) track.successes.values().stream().filter(n -> n > 1).count();
    }
    return new Summary(startedRuns.size(), succeeded, failed, lost, duplicates, latencies);
  }
}

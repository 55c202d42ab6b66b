package io.weft.core.internals.recovery;

import io.weft.core.internals.coordinator.CoordinatorTopology;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the coordinator's state from the event log one partition at a time: reads a partition to
 * its end, folds it, writes its runs' states and timers to the same partition of the changelogs,
 * waits until they are acknowledged, and drops the fold before the next partition. A run's events
 * are all in the partition of its run id, so each fold holds whole runs, and the memory a rebuild
 * needs is that of the largest partition's runs, not of the whole log. Runs whose first events are
 * no longer on the log are skipped and counted (see {@link PartitionFold}).
 */
public final class StateRebuilder {

  private static final Logger log = LoggerFactory.getLogger(StateRebuilder.class);

  /** What a rebuild read and wrote, summed over the partitions done. */
  public record Totals(
      int partitions, long eventsRead, int runs, int runningRuns, int timers, int skippedRuns) {

    static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0);

    Totals plus(Totals other) {
      return new Totals(
          partitions + other.partitions,
          eventsRead + other.eventsRead,
          runs + other.runs,
          runningRuns + other.runningRuns,
          timers + other.timers,
          skippedRuns + other.skippedRuns);
    }
  }

  private final EventLogReader reader;
  private final ChangelogWriter writer;
  private final ScheduleRebuilder schedules;

  public StateRebuilder(EventLogReader reader, ChangelogWriter writer) {
    this(reader, writer, new ScheduleRebuilder());
  }

  /** A rebuilder that also shows every event to {@code schedules}. */
  public StateRebuilder(
      EventLogReader reader, ChangelogWriter writer, ScheduleRebuilder schedules) {
    this.reader = reader;
    this.writer = writer;
    this.schedules = schedules;
  }

  /** Rebuilds partitions {@code 0} to {@code partitions - 1}, in order. */
  public Totals rebuild(int partitions) {
    Totals totals = Totals.NONE;
    for (int partition = 0; partition < partitions; partition++) {
      totals = totals.plus(rebuild(partition, new PartitionFold()));
    }
    return totals;
  }

  private Totals rebuild(int partition, PartitionFold fold) {
    EventLogReader.Extent extent =
        reader.read(
            partition,
            event -> {
              fold.apply(event);
              schedules.observe(event);
            });
    ChangelogWriter.Written written = writer.write(fold.runs());
    int skipped = fold.skippedRuns().size();
    if (skipped > 0 || extent.truncated()) {
      log.info(
          "Partition {} starts at offset {} (earlier events deleted: {}): {} runs rebuilt, {}"
              + " skipped without their first events",
          partition,
          extent.startOffset(),
          extent.truncated(),
          written.runs(),
          skipped);
    }
    log.debug(
        "Partition {}: {} events (offsets {} to {}), {} runs, {} timers",
        partition,
        fold.eventsRead(),
        extent.startOffset(),
        extent.endOffset(),
        written.runs(),
        written.timers());
    return new Totals(
        1, fold.eventsRead(), written.runs(), written.runningRuns(), written.timers(), skipped);
  }

  /** The changelog topic of one of the coordinator's stores. */
  public static String changelog(String applicationId, String store) {
    return applicationId + "-" + store + "-changelog";
  }

  public static String runsChangelog(String applicationId) {
    return changelog(applicationId, CoordinatorTopology.RUNS_STORE);
  }

  public static String timersChangelog(String applicationId) {
    return changelog(applicationId, CoordinatorTopology.TIMERS_STORE);
  }

  public static String childrenChangelog(String applicationId) {
    return changelog(applicationId, CoordinatorTopology.CHILDREN_STORE);
  }

  public static String paramsChangelog(String applicationId) {
    return changelog(applicationId, CoordinatorTopology.PARAMS_STORE);
  }

  public static String indexChangelog(String applicationId) {
    return changelog(applicationId, CoordinatorTopology.INDEX_STORE);
  }

  /** Every changelog of the coordinator {@code applicationId}: what recovery writes. */
  public static List<String> changelogs(String applicationId) {
    return List.of(
        runsChangelog(applicationId),
        childrenChangelog(applicationId),
        paramsChangelog(applicationId),
        indexChangelog(applicationId),
        timersChangelog(applicationId));
  }
}

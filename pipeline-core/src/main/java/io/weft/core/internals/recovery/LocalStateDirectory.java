package io.weft.core.internals.recovery;

import io.weft.common.WeftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A coordinator's local state on this machine: the directory where Kafka Streams keeps its stores,
 * {@code <state.dir>/<application.id>}, a directory per task ({@code 0_0}, {@code 1_3}, ...) with
 * the stores' files and a checkpoint of the changelog offsets they hold. A coordinator started over
 * such a directory keeps that state and restores only what the changelogs hold past the checkpoint,
 * so it must not be left behind by a rebuild of the changelogs.
 */
public final class LocalStateDirectory {

  /** What Kafka Streams keeps in the application's directory that holds no state. */
  private static final Set<String> NOT_STATE = Set.of(".lock", "kafka-streams-process-metadata");

  private static final int NAMED = 5;

  private final Path path;

  public LocalStateDirectory(Path path) {
    this.path = path.toAbsolutePath().normalize();
  }

  public Path path() {
    return path;
  }

  /**
   * The names of the directory's entries that hold state (task directories), sorted; none if it
   * does not exist.
   *
   * @throws WeftException if it exists but cannot be listed
   */
  public List<String> stateEntries() {
    try (Stream<Path> entries = Files.list(path)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(name -> !NOT_STATE.contains(name))
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new WeftException("Cannot list the coordinator's local state in " + path + ": " + e, e);
    }
  }

  /**
   * Fails, naming the directory and what to do, if it holds state.
   *
   * @param applicationId the coordinator's, for the message
   * @throws WeftException if it holds state
   */
  public void requireNoState(String applicationId) {
    List<String> entries = stateEntries();
    if (entries.isEmpty()) {
      return;
    }
    String named =
        String.join(", ", entries.subList(0, Math.min(NAMED, entries.size())))
            + (entries.size() > NAMED ? " and " + (entries.size() - NAMED) + " more" : "");
    throw new WeftException(
        "Coordinator '"
            + applicationId
            + "' has local state in "
            + path
            + " ("
            + named
            + "); started over it, Kafka Streams would keep that state and restore only what"
            + " the changelogs hold past its checkpoints, instead of the rebuilt state. Delete"
            + " that directory (on every machine a coordinator instance ran on) and recover"
            + " again, or recover with --wipe-local-state (Recovery.rebuild(settings, true)),"
            + " which deletes it on this machine once every instance is seen stopped");
  }

  /**
   * Deletes the directory and everything in it, if it exists.
   *
   * @throws WeftException if something in it cannot be deleted
   */
  public void wipe() {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new WeftException(
          "Cannot delete the coordinator's local state in " + path + ": " + e, e);
    }
  }
}

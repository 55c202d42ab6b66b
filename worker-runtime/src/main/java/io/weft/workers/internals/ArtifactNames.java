package io.weft.workers.internals;

/** Checks of what names an artifact: run, task, attempt, name and media type. */
public final class ArtifactNames {

  private ArtifactNames() {}

  /**
   * The artifact's path below a store's root, {@code <runId>/<taskId>/<attempt>/<name>}, after
   * checking every part and the media type.
   *
   * @throws IllegalArgumentException naming the part that is not safe or not set
   */
  public static String relativePath(
      String runId, String taskId, int attempt, String name, String mediaType) {
    if (mediaType == null || mediaType.isBlank()) {
      throw new IllegalArgumentException("Artifact '" + name + "' needs a media type");
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
    return taskPath(runId, taskId)
        + "/"
        + attempt
        + "/"
        + PathSegments.checkName("artifact name", name);
  }

  /** {@code <runId>/<taskId>}, after checking both. */
  public static String taskPath(String runId, String taskId) {
    return PathSegments.check("runId", runId) + "/" + PathSegments.check("taskId", taskId);
  }

  /** Whether {@code segment} is an attempt number as the stores write it. */
  public static boolean isAttempt(String segment) {
    return segment.matches("[1-9][0-9]{0,8}");
  }
}

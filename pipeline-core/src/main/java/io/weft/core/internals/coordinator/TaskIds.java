package io.weft.core.internals.coordinator;

/** Ids of forEach children: {@code <id>[<index>]}. */
public final class TaskIds {

  private TaskIds() {}

  public static String child(String parent, int index) {
    return parent + "[" + index + "]";
  }

  public static boolean isChild(String id) {
    return id.endsWith("]") && id.indexOf('[') > 0;
  }

  /** The definition's task id: the id itself, or a child's parent. */
  public static String base(String id) {
    int bracket = id.indexOf('[');
    return bracket > 0 && id.endsWith("]") ? id.substring(0, bracket) : id;
  }

  /** A child's index in its fan-out. */
  public static int index(String childId) {
    return Integer.parseInt(childId.substring(childId.indexOf('[') + 1, childId.length() - 1));
  }
}

package io.weft.core.internals.expr;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code ${...}} reference to a workflow parameter, a task's output or the current {@code
 * forEach} item, optionally followed by a path into the value.
 *
 * <p>The three forms are {@code ${params.<name>}}, {@code ${tasks.<id>.outputs.<name>}} and {@code
 * ${item}}; each may be followed by {@code .<segment>} steps that select a field of an object or,
 * when the segment is a number, an element of an array. Names and segments consist of letters,
 * digits, {@code _} and {@code -}.
 *
 * @param kind what the reference points at
 * @param taskId the task, for {@link Kind#TASK_OUTPUT} only, else null
 * @param name the parameter or output name, null for {@link Kind#ITEM}
 * @param path the steps into the value, possibly empty
 */
public record Reference(Kind kind, String taskId, String name, List<String> path) {

  /** What a reference points at. */
  public enum Kind {
    /** {@code ${params.<name>}}: a parameter of the workflow run. */
    PARAM,
    /** {@code ${tasks.<id>.outputs.<name>}}: an output of an upstream task. */
    TASK_OUTPUT,
    /** {@code ${item}}: the current element of a {@code forEach}. */
    ITEM
  }

  static final String EXPECTED =
      "expected ${params.<name>}, ${tasks.<id>.outputs.<name>} or ${item}";

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

  /** Checks that the components fit the kind and that every name is a valid segment. */
  public Reference {
    Objects.requireNonNull(kind, "kind");
    path = List.copyOf(Objects.requireNonNull(path, "path"));
    require((kind == Kind.TASK_OUTPUT) == (taskId != null), "taskId is for TASK_OUTPUT only");
    require((kind == Kind.ITEM) == (name == null), "name is required except for ITEM");
    requireSegment(taskId);
    requireSegment(name);
    path.forEach(Reference::requireSegment);
  }

  /** {@code ${params.<name>.<path>...}}. */
  public static Reference param(String name, String... path) {
    return new Reference(Kind.PARAM, null, name, Arrays.asList(path));
  }

  /** {@code ${tasks.<taskId>.outputs.<output>.<path>...}}. */
  public static Reference taskOutput(String taskId, String output, String... path) {
    return new Reference(Kind.TASK_OUTPUT, taskId, output, Arrays.asList(path));
  }

  /** {@code ${item.<path>...}}. */
  public static Reference item(String... path) {
    return new Reference(Kind.ITEM, null, null, Arrays.asList(path));
  }

  /**
   * Parses a text that is exactly one reference, such as {@code ${tasks.t.outputs.model}}.
   *
   * @throws ExpressionException if the text is anything else
   */
  public static Reference parse(String text) {
    Template template = Template.parse(text);
    if (!template.isSingleReference()) {
      throw new ExpressionException(
          "Expected exactly one reference in '" + text + "': " + EXPECTED, text, 0);
    }
    return template.references().get(0);
  }

  /**
   * Parses the inside of {@code ${...}}.
   *
   * @param raw the reference as written, braces included
   * @param source the whole text, for messages
   * @param position where {@code raw} starts in {@code source}
   */
  static Reference parseBody(String raw, String source, int position) {
    String body = raw.substring(2, raw.length() - 1).strip();
    List<String> segments = Arrays.asList(body.split("\\.", -1));
    for (String segment : segments) {
      if (!SEGMENT.matcher(segment).matches() && isKnownRoot(segments.get(0))) {
        throw malformed(raw, source, position, invalidSegment(segment));
      }
    }
    return switch (segments.get(0)) {
      case "params" -> {
        requireForm(segments.size() >= 2, raw, source, position, "${params.<name>}");
        yield new Reference(Kind.PARAM, null, segments.get(1), after(segments, 2));
      }
      case "tasks" -> {
        boolean ok = segments.size() >= 4 && segments.get(2).equals("outputs");
        requireForm(ok, raw, source, position, "${tasks.<id>.outputs.<name>}");
        yield new Reference(Kind.TASK_OUTPUT, segments.get(1), segments.get(3), after(segments, 4));
      }
      case "item" -> new Reference(Kind.ITEM, null, null, after(segments, 1));
      default ->
          throw new ExpressionException(
              "Unknown reference '" + raw + "'" + where(raw, source, position) + ": " + EXPECTED,
              source,
              position);
    };
  }

  /** The canonical text, such as {@code ${tasks.train.outputs.metrics.accuracy}}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("${");
    switch (kind) {
      case PARAM -> text.append("params.").append(name);
      case TASK_OUTPUT -> text.append("tasks.").append(taskId).append(".outputs.").append(name);
      case ITEM -> text.append("item");
    }
    path.forEach(segment -> text.append('.').append(segment));
    return text.append('}').toString();
  }

  private static boolean isKnownRoot(String root) {
    return root.equals("params") || root.equals("tasks") || root.equals("item");
  }

  private static List<String> after(List<String> segments, int from) {
    return segments.subList(from, segments.size());
  }

  private static void requireForm(
      boolean ok, String raw, String source, int position, String form) {
    if (!ok) {
      throw malformed(raw, source, position, "expected " + form);
    }
  }

  private static ExpressionException malformed(
      String raw, String source, int position, String detail) {
    return new ExpressionException(
        "Malformed reference '" + raw + "'" + where(raw, source, position) + ": " + detail,
        source,
        position);
  }

  /** The position, and the whole text only when the reference is not the whole text. */
  private static String where(String raw, String source, int position) {
    return Messages.at(raw.equals(source) ? null : source, position);
  }

  private static String invalidSegment(String segment) {
    return segment.isEmpty()
        ? "a name is empty (check for a doubled or trailing '.')"
        : "'" + segment + "' is not a valid name: use only letters, digits, '_' and '-'";
  }

  private static void require(boolean ok, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(rule);
    }
  }

  private static void requireSegment(String segment) {
    if (segment != null && !SEGMENT.matcher(segment).matches()) {
      throw new IllegalArgumentException(invalidSegment(segment));
    }
  }
}

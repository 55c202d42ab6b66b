package io.weft.ml.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.ml.internals.data.DatasetException;
import io.weft.ml.internals.data.LabeledData;
import io.weft.ml.internals.dl.DatasetCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the built-in task types' params. A missing or ill-typed param fails the attempt without
 * retry, naming the param and what was expected.
 */
final class Params {

  private Params() {}

  static boolean has(TaskContext context, String name) {
    JsonNode value = context.params().get(name);
    return value != null && !value.isNull();
  }

  /** A text param; {@code fallback} null makes it required. */
  static String text(TaskContext context, String name, String fallback) {
    if (!has(context, name)) {
      if (fallback == null) {
        throw new TaskFailedException("param " + name + " is required", false);
      }
      return fallback;
    }
    JsonNode value = context.param(name);
    if (!value.isValueNode()) {
      throw new TaskFailedException("param " + name + ": " + value + " is not a text", false);
    }
    return value.asText();
  }

  /** A required whole-number param. */
  static int number(TaskContext context, String name) {
    if (!has(context, name)) {
      throw new TaskFailedException("param " + name + " is required", false);
    }
    return number(context, name, 0);
  }

  static int number(TaskContext context, String name, int fallback) {
    if (!has(context, name)) {
      return fallback;
    }
    JsonNode value = context.param(name);
    if (!value.canConvertToInt() || (value.isNumber() && !value.isIntegralNumber())) {
      throw new TaskFailedException(
          "param " + name + ": " + value + " is not a whole number", false);
    }
    return value.asInt();
  }

  static int positive(TaskContext context, String name, int fallback) {
    int value = number(context, name, fallback);
    if (value <= 0) {
      throw new TaskFailedException("param " + name + ": " + value + " is not positive", false);
    }
    return value;
  }

  static double decimal(TaskContext context, String name, double fallback) {
    if (!has(context, name)) {
      return fallback;
    }
    JsonNode value = context.param(name);
    if (!value.isNumber()) {
      throw new TaskFailedException("param " + name + ": " + value + " is not a number", false);
    }
    return value.asDouble();
  }

  static boolean flag(TaskContext context, String name, boolean fallback) {
    if (!has(context, name)) {
      return fallback;
    }
    JsonNode value = context.param(name);
    if (!value.isBoolean()) {
      throw new TaskFailedException(
          "param " + name + ": " + value + " is not true or false", false);
    }
    return value.asBoolean();
  }

  /** A list of whole numbers, e.g. hidden layer sizes; a single number counts as a list of one. */
  static int[] numbers(TaskContext context, String name, int[] fallback) {
    if (!has(context, name)) {
      return fallback.clone();
    }
    JsonNode value = context.param(name);
    List<JsonNode> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(items::add);
    } else {
      items.add(value);
    }
    int[] numbers = new int[items.size()];
    for (int i = 0; i < numbers.length; i++) {
      JsonNode item = items.get(i);
      if (!item.isIntegralNumber()) {
        throw new TaskFailedException(
            "param " + name + ": " + value + " is not a list of whole numbers", false);
      }
      numbers[i] = item.asInt();
    }
    return numbers;
  }

  /**
   * The dataset named by artifact param {@code name}, which {@code prepare-data} stored.
   *
   * @throws TaskFailedException retryable if it cannot be read, not retryable if it is not a
   *     dataset of {@code classes} classes
   */
  static LabeledData dataset(TaskContext context, String name, int classes) {
    ArtifactRef ref = artifact(context, name);
    try {
      return DatasetCodec.read(context.artifacts(), ref, classes);
    } catch (UncheckedIOException e) {
      throw new TaskFailedException("param " + name + ": " + e.getMessage(), true);
    } catch (DatasetException e) {
      throw new TaskFailedException("param " + name + ": " + e.getMessage(), false);
    }
  }

  /**
   * An artifact param: an artifact output passed by reference, e.g. {@code model:
   * ${tasks.train.outputs.model}}, which reads as {@code {uri, sha256, size, mediaType}}.
   */
  static ArtifactRef artifact(TaskContext context, String name) {
    JsonNode value = context.param(name);
    if (!value.isObject()
        || !value.path("uri").isTextual()
        || !value.path("sha256").isTextual()
        || !value.path("size").canConvertToLong()) {
      throw new TaskFailedException(
          "param "
              + name
              + ": expected an artifact {uri, sha256, size, mediaType}, such as"
              + " ${tasks.<id>.outputs.<artifact>}, got "
              + abbreviate(value.toString()),
          false);
    }
    return ArtifactRef.newBuilder()
        .setUri(value.get("uri").asText())
        .setSha256(value.get("sha256").asText())
        .setSize(value.get("size").asLong())
        .setMediaType(value.path("mediaType").asText("application/octet-stream"))
        .build();
  }

  /** A JSON object param of plain values, as strings by key. */
  static Map<String, String> strings(TaskContext context, String name) {
    JsonNode value = context.param(name);
    if (!value.isObject()) {
      throw new TaskFailedException(
          "param "
              + name
              + ": expected an object of plain values, got "
              + abbreviate(value.toString()),
          false);
    }
    Map<String, String> strings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      if (!field.getValue().isValueNode()) {
        throw new TaskFailedException(
            "param "
                + name
                + "."
                + field.getKey()
                + ": "
                + field.getValue()
                + " is not a plain value",
            false);
      }
      strings.put(field.getKey(), field.getValue().asText());
    }
    return strings;
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }
}

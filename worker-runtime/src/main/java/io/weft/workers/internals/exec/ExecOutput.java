package io.weft.workers.internals.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.workers.api.TaskContext;
import io.weft.workers.api.TaskFailedException;
import io.weft.workers.api.TaskOutputs;
import io.weft.workers.internals.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What an exec task's program returns, read after it exited with 0: the JSON object in {@code
 * $WEFT_OUTPUT} if the program wrote that file, else its last stdout line if that is a JSON object,
 * else nothing; plus every file it left in {@code $WEFT_ARTIFACTS_DIR}, stored as an artifact
 * output named by the file name up to its first dot.
 *
 * <pre>{@code
 * {"outputs": {"rows": 800, "classes": ["a", "b"]}, "metrics": {"loss": 0.21}}
 * }</pre>
 *
 * Both members are optional; any other member is an error, so that a typo is not silently ignored.
 * Problems fail the attempt without retry: the same program would write the same thing again.
 */
public final class ExecOutput {

  /** The largest output file read, far above what a result may carry. */
  static final long MAX_OUTPUT_BYTES = 16L << 20;

  private static final Set<String> MEMBERS = Set.of("outputs", "metrics");
  private static final String LOG = "log";

  private ExecOutput() {}

  /** The attempt's outputs, with the {@code log} artifact first. */
  public static TaskOutputs read(
      TaskContext context, Path outputFile, String lastStdout, Path artifactsDir, TaskOutputs log)
      throws IOException {
    TaskOutputs outputs = log;
    JsonNode document = document(outputFile, lastStdout);
    if (document != null) {
      outputs = fromJson(outputs, document, Files.exists(outputFile) ? "$WEFT_OUTPUT" : "stdout");
    }
    return withArtifacts(context, outputs, artifactsDir);
  }

  private static JsonNode document(Path outputFile, String lastStdout) throws IOException {
    if (Files.exists(outputFile)) {
      long size = Files.size(outputFile);
      if (size > MAX_OUTPUT_BYTES) {
        throw invalid(
            "$WEFT_OUTPUT holds "
                + size
                + " bytes, more than "
                + MAX_OUTPUT_BYTES
                + "; put large"
                + " payloads in $WEFT_ARTIFACTS_DIR");
      }
      String text = Files.readString(outputFile, StandardCharsets.UTF_8);
      try {
        return Json.parse(text);
      } catch (IllegalArgumentException e) {
        throw invalid("$WEFT_OUTPUT is not one JSON value: " + e.getMessage());
      }
    }
    if (lastStdout != null && lastStdout.strip().startsWith("{")) {
      try {
        return Json.parse(lastStdout);
      } catch (IllegalArgumentException e) {
        return null; // an ordinary log line that happens to start with a brace
      }
    }
    return null;
  }

  static TaskOutputs fromJson(TaskOutputs outputs, JsonNode document, String source) {
    if (!document.isObject()) {
      throw invalid(source + " must be a JSON object {\"outputs\": {...}, \"metrics\": {...}}");
    }
    for (Iterator<String> names = document.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!MEMBERS.contains(name)) {
        throw invalid(
            source + " has member '" + name + "'; expected only \"outputs\" and \"metrics\"");
      }
    }
    JsonNode values = document.path("outputs");
    if (!values.isMissingNode() && !values.isObject()) {
      throw invalid(source + ": \"outputs\" must be an object of named values");
    }
    try {
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) values::fields) {
        if (e.getKey().equals(LOG)) {
          throw invalid(source + ": output name 'log' is reserved for the program's log");
        }
        outputs = outputs.with(e.getKey(), e.getValue());
      }
    } catch (IllegalArgumentException e) {
      throw invalid(source + ": " + e.getMessage());
    }
    JsonNode metrics = document.path("metrics");
    if (!metrics.isMissingNode() && !metrics.isObject()) {
      throw invalid(source + ": \"metrics\" must be an object of numbers");
    }
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) metrics::fields) {
      if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
        throw invalid(
            source + ": metric '" + e.getKey() + "' is " + e.getValue() + ", not a finite number");
      }
      outputs = outputs.withMetric(e.getKey(), e.getValue().asDouble());
    }
    return outputs;
  }

  private static TaskOutputs withArtifacts(TaskContext context, TaskOutputs outputs, Path dir)
      throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(Files::isRegularFile).sorted().toList();
    }
    Map<String, String> fileOf = new HashMap<>();
    for (Path file : files) {
      String fileName = file.getFileName().toString();
      int dot = fileName.indexOf('.');
      String name = dot < 0 ? fileName : fileName.substring(0, dot);
      String other = fileOf.put(name, fileName);
      if (name.equals(LOG)) {
        throw invalid(
            "$WEFT_ARTIFACTS_DIR/"
                + fileName
                + ": output name 'log' is reserved for the"
                + " program's log");
      } else if (other != null) {
        throw invalid(
            "$WEFT_ARTIFACTS_DIR/"
                + other
                + " and "
                + fileName
                + " would both be output '"
                + name
                + "' (an artifact is named by its file name up to the first dot)");
      } else if (outputs.outputs().containsKey(name)) {
        throw invalid(
            "$WEFT_ARTIFACTS_DIR/"
                + fileName
                + " would be output '"
                + name
                + "', which the"
                + " program's JSON outputs name too");
      }
      String mediaType = Files.probeContentType(file);
      try {
        outputs =
            outputs.withArtifact(
                name,
                context.putArtifact(
                    fileName, file, mediaType == null ? "application/octet-stream" : mediaType));
      } catch (IllegalArgumentException e) {
        throw invalid("$WEFT_ARTIFACTS_DIR/" + fileName + ": " + e.getMessage());
      }
    }
    return outputs;
  }

  private static TaskFailedException invalid(String message) {
    return new TaskFailedException("Invalid output of the program: " + message, false);
  }
}

package io.weft.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one benchmark run, written as a markdown table and as JSON. */
public final class Report {

  /** File name of the markdown table in the output directory. */
  public static final String MARKDOWN_FILE = "bench.md";

  /** File name of the JSON report in the output directory. */
  public static final String JSON_FILE = "bench.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<Measure> measures = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> environment = new LinkedHashMap<>();

  public void add(Measure measure) {
    measures.add(measure);
  }

  /** Facts about the run (mode, machine, Java); printed above the table. */
  public void environment(String key, String value) {
    environment.put(key, value);
  }

  public List<Measure> measures() {
    synchronized (measures) {
      return List.copyOf(measures);
    }
  }

  public Map<String, String> environment() {
    return Collections.unmodifiableMap(environment);
  }

  /** The table: measure | value | baseline | ratio | goal | PASS/MISS. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    environment.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append('\n');
    md.append("| measure | value | baseline | ratio | goal | PASS/MISS |\n");
    md.append("|---|---:|---:|---:|---|---|\n");
    for (Measure m : measures()) {
      md.append("| ")
          .append(m.section())
          .append(": ")
          .append(m.name())
          .append(" | ")
          .append(m.wasRun() ? Measure.format(m.value()) + " " + m.unit() : "not run")
          .append(" | ")
          .append(
              m.baseline() == null
                  ? "-"
                  : Measure.format(m.baseline()) + " (" + m.baselineName() + ")")
          .append(" | ")
          .append(m.ratio() == null ? "-" : Measure.format(m.ratio()))
          .append(" | ")
          .append(m.goal() == null ? "-" : m.goal().describe(m.unit()))
          .append(" | ")
          .append(m.verdict())
          .append(" |\n");
    }
    List<Measure> noted = measures().stream().filter(m -> m.note() != null).toList();
    if (!noted.isEmpty()) {
      md.append('\n');
      noted.forEach(
          m ->
              md.append("- ")
                  .append(m.section())
                  .append(": ")
                  .append(m.name())
                  .append(": ")
                  .append(m.note())
                  .append('\n'));
    }
    return md.toString();
  }

  /** The same figures as JSON: environment, then one object per measure. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("written", Instant.now().toString());
    ObjectNode env = root.putObject("environment");
    environment.forEach(env::put);
    ArrayNode array = root.putArray("measures");
    for (Measure m : measures()) {
      ObjectNode node = array.addObject();
      node.put("section", m.section());
      node.put("measure", m.name());
      if (m.wasRun()) {
        node.put("value", m.value());
      } else {
        node.putNull("value");
      }
      node.put("unit", m.unit());
      if (m.baseline() != null) {
        node.put("baseline", m.baseline());
        node.put("baselineName", m.baselineName());
      }
      if (m.ratio() != null) {
        node.put("ratio", m.ratio());
      }
      if (m.goal() != null) {
        node.put("goal", m.goal().describe(m.unit()));
      }
      node.put("verdict", m.verdict());
      if (m.note() != null) {
        node.put("note", m.note());
      }
    }
    return root;
  }

  /** Writes {@link #MARKDOWN_FILE} and {@link #JSON_FILE} into {@code dir}. */
  public void write(Path dir) throws IOException {
    write(dir, MARKDOWN_FILE, JSON_FILE);
  }

  /** Writes the markdown table to {@code dir/markdownFile} and the JSON to {@code dir/jsonFile}. */
  public void write(Path dir, String markdownFile, String jsonFile) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(markdownFile), toMarkdown());
    JSON.writeValue(dir.resolve(jsonFile).toFile(), toJson());
  }
}

package io.weft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.core.api.ModelRegistry;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/** How {@code weft models} prints the registry: a table, or JSON for scripts. */
final class ModelOutput {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelOutput() {}

  static void list(PrintWriter out, ModelRegistry registry, Output.Format format) {
    if (format == Output.Format.json) {
      ArrayNode models = JSON.createArrayNode();
      for (String name : registry.models()) {
        ObjectNode model = models.addObject();
        model.put("name", name);
        model.put("versions", registry.versions(name).size());
        registry
            .production(name)
            .ifPresentOrElse(
                v -> model.set("production", versionJson(v)), () -> model.putNull("production"));
      }
      print(out, models);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("MODEL", "VERSIONS", "PRODUCTION", "METRICS"));
    for (String name : registry.models()) {
      Optional<ModelVersion> production = registry.production(name);
      rows.add(
          List.of(
              name,
              String.valueOf(registry.versions(name).size()),
              production.map(v -> String.valueOf(v.getVersion())).orElse("-"),
              production.map(v -> metrics(v.getMetrics())).orElse("-")));
    }
    Output.table(out, rows);
    out.flush();
  }

  static void show(PrintWriter out, ModelRegistry registry, String name, Output.Format format) {
    Optional<ModelAliasChanged> alias = registry.alias(name, "production");
    if (format == Output.Format.json) {
      ObjectNode model = JSON.createObjectNode();
      model.put("name", name);
      ArrayNode versions = model.putArray("versions");
      registry.versions(name).forEach(v -> versions.add(versionJson(v)));
      ObjectNode production = model.putObject("production");
      alias.ifPresent(
          a -> {
            production.put("version", a.getVersion());
            production.put("change", a.getChange().name());
            production.put("reason", a.getReason());
            production.put("changedAt", a.getChangedAt().toString());
            ArrayNode history = production.putArray("history");
            a.getHistory().forEach(history::add);
          });
      print(out, model);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("VERSION", "CREATED", "SOURCE", "METRICS", "SHA256"));
    for (ModelVersion v : registry.versions(name)) {
      String production =
          alias.isPresent() && alias.get().getVersion() == v.getVersion() ? " (production)" : "";
      rows.add(
          List.of(
              v.getVersion() + production,
              v.getCreatedAt().toString(),
              v.getSourceRunId() == null ? "-" : v.getSourceRunId() + "/" + v.getSourceTaskId(),
              metrics(v.getMetrics()),
              v.getArtifact().getSha256().substring(0, 12)));
    }
    Output.table(out, rows);
    alias.ifPresentOrElse(
        a ->
            out.println(
                "production: version "
                    + a.getVersion()
                    + " ("
                    + a.getChange()
                    + " at "
                    + a.getChangedAt()
                    + (a.getReason() == null ? "" : ": " + a.getReason())
                    + "), earlier: "
                    + (a.getHistory().isEmpty() ? "none" : a.getHistory())),
        () -> out.println("production: none"));
    out.flush();
  }

  private static ObjectNode versionJson(ModelVersion v) {
    ObjectNode node = JSON.createObjectNode();
    node.put("version", v.getVersion());
    node.put("createdAt", v.getCreatedAt().toString());
    node.put("sourceRunId", v.getSourceRunId());
    node.put("sourceTaskId", v.getSourceTaskId());
    ObjectNode artifact = node.putObject("artifact");
    artifact.put("uri", v.getArtifact().getUri());
    artifact.put("sha256", v.getArtifact().getSha256());
    artifact.put("size", v.getArtifact().getSize());
    artifact.put("mediaType", v.getArtifact().getMediaType());
    ObjectNode metrics = node.putObject("metrics");
    v.getMetrics().forEach(metrics::put);
    ObjectNode properties = node.putObject("properties");
    v.getProperties().forEach(properties::put);
    return node;
  }

  private static String metrics(Map<String, Double> metrics) {
    StringJoiner text = new StringJoiner(" ");
    new TreeMap<>(metrics).forEach((k, v) -> text.add(k + "=" + String.format("%.4f", v)));
    return metrics.isEmpty() ? "-" : text.toString();
  }

  private static void print(PrintWriter out, Object node) {
    try {
      out.println(JSON.writeValueAsString(node));
      out.flush();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

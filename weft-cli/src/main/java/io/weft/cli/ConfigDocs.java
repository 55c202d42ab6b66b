package io.weft.cli;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.CoordinatorConfig;
import io.weft.schemas.serde.AvroSerdeConfig;
import io.weft.serving.InferenceConfig;
import io.weft.workers.api.WorkerConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.types.Password;

/**
 * The configuration reference, {@code docs/configuration.md}, generated from the {@link ConfigDef}s
 * of Weft's components so that it cannot drift from the code. {@code ConfigDocsTest} fails when the
 * file differs from {@link #markdown()}; {@code weft config-docs > docs/configuration.md} rewrites
 * it.
 */
final class ConfigDocs {

  /** The command that rewrites the file, as the drift check prints it. */
  static final String REGENERATE = "WEFT_REBUILD=1 ./weft config-docs > docs/configuration.md";

  /**
   * A component's settings: its title, what reads them, what else it accepts, and defaults that
   * depend on the machine (shown as a description instead of this machine's value).
   */
  record Section(
      String title,
      String usedBy,
      String passThrough,
      ConfigDef definition,
      Map<String, String> shownDefaults) {

    Section(String title, String usedBy, String passThrough, ConfigDef definition) {
      this(title, usedBy, passThrough, definition, Map.of());
    }
  }

  /** Every documented ConfigDef, in the order of the document: add a component here. */
  static final List<Section> SECTIONS =
      List.of(
          new Section(
              "Coordinator",
              "`CoordinatorConfig`: `weft coordinator`, `weft recover`, `Coordinator.start`,"
                  + " `Recovery.rebuild`.",
              "Keys prefixed `streams.` pass (prefix removed) to Kafka Streams, e.g."
                  + " `streams.num.standby.replicas`.",
              CoordinatorConfig.configDef()),
          new Section(
              "Worker",
              "`WorkerConfig`: `weft worker`, `Worker.builder`.",
              "Keys prefixed `consumer.`, `producer.` or `admin.` pass (prefix removed) to that"
                  + " client, e.g. `consumer.max.poll.interval.ms`; the keys the worker's"
                  + " guarantees rest on (group, isolation level, commits, transactions, serdes)"
                  + " cannot be overridden.",
              WorkerConfig.configDef(),
              Map.of(WorkerConfig.WORKER_ID_CONFIG, "<hostname>-<pid>")),
          new Section(
              "Client",
              "`ClientConfig`: `WeftClient.create` and the client commands (`weft register`,"
                  + " `run`, `status`, `runs`, `watch`, `cancel`, `retry`, `topics`).",
              "Keys prefixed `producer.`, `consumer.` or `admin.` pass (prefix removed) to that"
                  + " client.",
              ClientConfig.configDef()),
          new Section(
              "Inference service",
              "`InferenceConfig`: `weft serve`, `InferenceServer.start`.",
              "Keys prefixed `consumer.`, `producer.` or `admin.` pass (prefix removed) to the"
                  + " model registry's clients.",
              InferenceConfig.configDef()),
          new Section(
              "Schema registry and Avro serde",
              "`AvroSerdeConfig`: accepted by every component above and by"
                  + " `io.weft.schemas.serde.AvroSerializer`/`AvroDeserializer` in any Kafka client.",
              "",
              AvroSerdeConfig.configDef()));

  private ConfigDocs() {}

  /** The whole document. */
  static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Configuration reference\n\n")
        .append("<!-- Generated from the components' ConfigDefs; do not edit. Regenerate with: ")
        .append(REGENERATE)
        .append(" -->\n\n")
        .append(
            "Every Weft component is configured with a map of settings (`--config FILE` on the"
                + " command line, a properties file of these keys). Each key below is declared"
                + " once in the component's `ConfigDef` with its type, default, validator and"
                + " documentation. Besides these keys, every component passes `security.protocol`,"
                + " `sasl.*` and `ssl.*` to all its Kafka clients; any other unknown key fails at"
                + " start-up, naming the key.\n");
    for (Section section : SECTIONS) {
      md.append("\n## ").append(section.title()).append("\n\n").append(section.usedBy());
      if (!section.passThrough().isEmpty()) {
        md.append(' ').append(section.passThrough());
      }
      md.append("\n\n| key | type | default | valid values | importance | description |\n")
          .append("|---|---|---|---|---|---|\n");
      for (ConfigKey key : sorted(section.definition())) {
        md.append("| `")
            .append(key.name)
            .append("` | ")
            .append(key.type.name().toLowerCase(Locale.ROOT))
            .append(" | ")
            .append(cell(defaultValue(section, key)))
            .append(" | ")
            .append(cell(validValues(key)))
            .append(" | ")
            .append(key.importance.name().toLowerCase(Locale.ROOT))
            .append(" | ")
            .append(cell(key.documentation))
            .append(" |\n");
      }
    }
    return md.toString();
  }

  /** Required keys first, then by importance, then by name, as Kafka's own references. */
  private static List<ConfigKey> sorted(ConfigDef definition) {
    return definition.configKeys().values().stream()
        .sorted(
            Comparator.comparing((ConfigKey k) -> k.hasDefault())
                .thenComparing(k -> k.importance)
                .thenComparing(k -> k.name))
        .toList();
  }

  private static String defaultValue(Section section, ConfigKey key) {
    String shown = section.shownDefaults().get(key.name);
    if (shown != null) {
      return "`" + shown + "`";
    }
    if (!key.hasDefault()) {
      return "(required)";
    }
    Object value =
        key.defaultValue instanceof Password password ? password.value() : key.defaultValue;
    String text = ConfigDef.convertToString(value, key.type);
    return text == null ? "null" : text.isEmpty() ? "\"\"" : "`" + text + "`";
  }

  /** The validator's own description; nothing for a validator that has none (a lambda). */
  private static String validValues(ConfigKey key) {
    if (key.validator == null || key.validator.getClass().isSynthetic()) {
      return "";
    }
    String text = key.validator.toString();
    return text.contains("$$Lambda") || text.contains("@") ? "" : text;
  }

  /** Text for a table cell: pipes and angle brackets escaped, on one line. */
  private static String cell(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder cell = new StringBuilder();
    boolean inCode = false;
    for (char c : text.toCharArray()) {
      if (c == '`') {
        inCode = !inCode;
      }
      if (c == '|' || (!inCode && (c == '<' || c == '>'))) {
        cell.append('\\');
      }
      cell.append(c == '\n' ? ' ' : c);
    }
    return cell.toString();
  }
}

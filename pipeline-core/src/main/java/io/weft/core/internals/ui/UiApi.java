package io.weft.core.internals.ui;

import static io.weft.core.internals.ui.UiResponses.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.weft.core.api.Backlog;
import io.weft.core.api.ModelNotFoundException;
import io.weft.core.api.ModelRegistry;
import io.weft.core.api.ModelRegistryException;
import io.weft.core.api.Promotion;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WeftTopics;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;

/**
 * The UI's JSON endpoints besides the query API's own ({@code /runs}, {@code /runs/{id}}):
 * definitions, a run's events, the model registry, the workers, and the actions (cancel, pause,
 * resume, retry, promote, rollback), which publish the same commands and alias changes as the CLI.
 */
final class UiApi {

  /** The largest request body an action accepts. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final UiConnections connections;
  private final WeftTopics topics;
  private final Map<String, ObjectNode> definitions = new ConcurrentHashMap<>();

  UiApi(UiConnections connections, WeftTopics topics) {
    this.connections = connections;
    this.topics = topics;
  }

  /** {@code GET /ui/api/definitions/{name}/{version}}: the definition as registered. */
  void definition(HttpExchange exchange, String name, int version) throws IOException {
    String key = name + ":" + version;
    ObjectNode definition = definitions.get(key);
    if (definition == null) {
      WorkflowDef def = connections.client().definitions().get(key);
      if (def == null) {
        UiResponses.error(exchange, 404, "definition '" + key + "' is not registered");
        return;
      }
      // a version never changes once registered
      definition = AvroJson.record(def);
      definitions.put(key, definition);
    }
    UiResponses.json(exchange, 200, definition);
  }

  /** {@code GET /ui/api/models}: every model, its versions and its production alias. */
  void models(HttpExchange exchange) throws IOException {
    ModelRegistry registry = connections.models();
    ArrayNode models = JSON.createArrayNode();
    for (String name : registry.models()) {
      ObjectNode model = models.addObject().put("name", name);
      Optional<ModelAliasChanged> production = registry.alias(name, "production");
      model.set("production", production.<JsonNode>map(AvroJson::record).orElse(null));
      ArrayNode versions = model.putArray("versions");
      for (ModelVersion version : registry.versions(name)) {
        versions.add(AvroJson.record(version));
      }
    }
    UiResponses.json(exchange, 200, models);
  }

  /** {@code POST /ui/api/models/{name}/promote} with {@code {"version": N}}. */
  void promote(HttpExchange exchange, String name) throws IOException {
    JsonNode body = body(exchange);
    if (body == null) {
      return;
    }
    JsonNode version = body.get("version");
    if (version == null || !version.canConvertToInt() || version.asInt() < 1) {
      UiResponses.error(
          exchange, 400, "the body needs a positive \"version\", e.g. {\"version\": 2}");
      return;
    }
    try {
      Promotion promotion = connections.models().promote(name, version.asInt(), null, true);
      ObjectNode answer = JSON.createObjectNode().put("promoted", promotion.promoted());
      answer.put("reason", promotion.reason());
      UiResponses.json(exchange, promotion.promoted() ? 200 : 409, answer);
    } catch (ModelNotFoundException e) {
      UiResponses.error(exchange, 404, e.getMessage());
    } catch (ModelRegistryException | IllegalArgumentException e) {
      UiResponses.error(exchange, 409, e.getMessage());
    }
  }

  /** {@code POST /ui/api/models/{name}/rollback}. */
  void rollback(HttpExchange exchange, String name) throws IOException {
    if (body(exchange) == null) {
      return;
    }
    try {
      UiResponses.json(exchange, 200, AvroJson.record(connections.models().rollback(name)));
    } catch (ModelNotFoundException e) {
      UiResponses.error(exchange, 404, e.getMessage());
    } catch (ModelRegistryException | IllegalArgumentException e) {
      UiResponses.error(exchange, 409, e.getMessage());
    }
  }

  /** {@code POST /ui/api/runs/{id}/cancel} with an optional {@code {"reason": "..."}}. */
  void cancel(HttpExchange exchange, String runId) throws IOException {
    JsonNode body = body(exchange);
    if (body == null) {
      return;
    }
    String reason = body.path("reason").asText("cancelled from the UI");
    connections.client().cancel(runId, reason);
    UiResponses.json(exchange, 202, JSON.createObjectNode().put("runId", runId));
  }

  /** {@code POST /ui/api/runs/{id}/pause} with an optional {@code {"reason": "..."}}. */
  void pause(HttpExchange exchange, String runId) throws IOException {
    JsonNode body = body(exchange);
    if (body == null) {
      return;
    }
    connections.client().pause(runId, body.path("reason").asText("paused from the UI"));
    UiResponses.json(exchange, 202, JSON.createObjectNode().put("runId", runId));
  }

  /** {@code POST /ui/api/runs/{id}/resume}. */
  void resume(HttpExchange exchange, String runId) throws IOException {
    if (body(exchange) == null) {
      return;
    }
    connections.client().resume(runId);
    UiResponses.json(exchange, 202, JSON.createObjectNode().put("runId", runId));
  }

  /** {@code POST /ui/api/runs/{id}/retry}. */
  void retry(HttpExchange exchange, String runId) throws IOException {
    if (body(exchange) == null) {
      return;
    }
    connections.client().retry(runId);
    UiResponses.json(exchange, 202, JSON.createObjectNode().put("runId", runId));
  }

  /**
   * {@code GET /ui/api/workers}: each task type (declared by a worker, or with a topic), its
   * topic's partitions, the members of its worker group, the requests they have not taken yet, and
   * the records of the dead-letter topic.
   */
  void workers(HttpExchange exchange) throws IOException {
    WeftClient client = connections.client();
    Admin admin = connections.admin();
    try {
      Set<String> declared = client.taskTypes();
      Set<String> types = new TreeSet<>(declared);
      String prefix = topics.tasks("");
      Set<String> names = admin.listTopics().names().get();
      names.stream()
          .filter(n -> n.startsWith(prefix))
          .forEach(n -> types.add(n.substring(prefix.length())));
      Map<String, TopicDescription> described =
          new TreeMap<>(
              admin
                  .describeTopics(
                      types.stream().map(topics::tasks).filter(names::contains).toList())
                  .allTopicNames()
                  .get());
      List<String> groups = types.stream().map(topics::workerGroup).toList();
      Map<String, KafkaFuture<ConsumerGroupDescription>> members =
          admin.describeConsumerGroups(groups).describedGroups();
      String dlq = topics.deadLetters();
      Map<TopicDescription, String> counted = new HashMap<>();
      described.values().forEach(t -> counted.put(t, topics.workerGroup(type(t))));
      if (names.contains(dlq)) {
        counted.put(admin.describeTopics(List.of(dlq)).allTopicNames().get().get(dlq), null);
      }
      Map<String, Long> backlogs =
          Backlog.counts(connections.consumerProps(), admin, counted, READ_TIMEOUT);
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode rows = answer.putArray("taskTypes");
      for (String type : types) {
        ObjectNode row =
            rows.addObject().put("type", type).put("declared", declared.contains(type));
        String group = topics.workerGroup(type);
        row.put("topic", topics.tasks(type)).put("group", group);
        row.put("workers", members(members.get(group)));
        TopicDescription topic = described.get(topics.tasks(type));
        if (topic == null) {
          row.putNull("partitions").putNull("backlog");
        } else {
          row.put("partitions", topic.partitions().size());
          row.put("backlog", backlogs.get(topic.name()));
        }
      }
      answer.put("deadLetters", backlogs.getOrDefault(dlq, 0L));
      answer.put("deadLetterTopic", dlq);
      UiResponses.json(exchange, 200, answer);
    } catch (ExecutionException e) {
      UiResponses.error(exchange, 503, "cannot describe the workers: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      UiResponses.error(exchange, 503, "interrupted");
    }
  }

  /** The members of a worker group; 0 if it has none or does not exist (yet, or any more). */
  private static int members(KafkaFuture<ConsumerGroupDescription> group)
      throws InterruptedException {
    try {
      return group == null ? 0 : group.get().members().size();
    } catch (ExecutionException e) {
      return 0;
    }
  }

  /** The task type of a task topic. */
  private String type(TopicDescription topic) {
    return topic.name().substring(topics.tasks("").length());
  }

  /**
   * The JSON body of an action, or null after answering: 415 unless it is sent as {@code
   * application/json} (which a page of another site cannot send without the browser asking first),
   * 413 above {@value #MAX_BODY_BYTES} bytes, 400 if it is not a JSON object. An empty body is an
   * empty object.
   */
  private static JsonNode body(HttpExchange exchange) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      UiResponses.error(exchange, 415, "send the action as Content-Type: application/json");
      return null;
    }
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      UiResponses.error(exchange, 413, "the body is over " + MAX_BODY_BYTES + " bytes");
      return null;
    }
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode body = JSON.readTree(bytes);
      if (body != null && body.isObject()) {
        return body;
      }
    } catch (IOException e) {
      // answered below
    }
    UiResponses.error(exchange, 400, "the body is not a JSON object");
    return null;
  }

  /** The clients the API uses, each made on first use: most installations only read runs. */
  interface UiConnections {
    WeftClient client();

    ModelRegistry models();

    Admin admin();

    Map<String, Object> consumerProps();
  }

  /** A value made once, on first use. */
  static final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> make;
    private volatile T value;

    Lazy(Supplier<T> make) {
      this.make = make;
    }

    @Override
    public T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          if (value == null) {
            value = make.get();
          }
          v = value;
        }
      }
      return v;
    }

    T ifMade() {
      return value;
    }
  }
}

package io.weft.core.internals.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.core.internals.coordinator.CoordinatorTopology;
import io.weft.core.internals.coordinator.RunRecords;
import io.weft.core.internals.ui.WebUi;
import io.weft.core.metrics.MetricsEndpoint;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.RunStatus;
import io.weft.schemas.internal.TaskState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's query API over HTTP: run status from the run store through Kafka Streams
 * interactive queries. With several coordinator instances, a request for a run another instance
 * owns is forwarded to it; a listing gathers every instance's runs.
 *
 * <ul>
 *   <li>{@code GET /health}: 200 when the coordinator is running, 503 otherwise
 *   <li>{@code GET /metrics}: the coordinator's meters for Prometheus ({@code docs/metrics.md})
 *   <li>{@code GET /runs/{runId}}: the run as JSON, 404 if unknown, 503 while rebalancing
 *   <li>{@code GET /runs?status=FAILED&limit=100}: runs as a JSON array, newest first (by start
 *       time)
 *   <li>{@code GET /run-counts}: how many runs there are of each status, of every instance
 *   <li>{@code GET /definitions/{name}:{version}}: 200 once this instance knows the definition
 *   <li>{@code /ui}: the web UI, where enabled ({@link #serveUi})
 * </ul>
 */
public final class RunQueryServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunQueryServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCAL = "local=true";

  /** The most runs {@code GET /runs} answers. */
  static final int MAX_LIMIT = 10_000;

  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile KafkaStreams streams;
  private volatile PrometheusMeterRegistry registry;
  private final RequestLimits limits = new RequestLimits();

  private RunQueryServer(HttpServer server) {
    this.server = server;
  }

  /** Binds the server (port 0 picks a free one); it answers 503 until {@link #serve} is called. */
  public static RunQueryServer bind(String host, int port) {
    try {
      // small answers without waiting for a delayed ACK (Nagle); the JDK reads this once, when
      // the first server of the process starts, so the first of Weft's servers sets it for all
      if (System.getProperty("sun.net.httpserver.nodelay") == null) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
      }
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      RunQueryServer query = new RunQueryServer(server);
      server.createContext("/", query::handle).getFilters().add(query.limits);
      server.setExecutor(
          Executors.newFixedThreadPool(
              4,
              r -> {
                Thread t = new Thread(r, "weft-query");
                t.setDaemon(true);
                return t;
              }));
      server.start();
      return query;
    } catch (IOException e) {
      throw new io.weft.common.WeftException(
          "Cannot listen for queries on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} as other instances reach this one. */
  public HostInfo hostInfo() {
    InetSocketAddress address = server.getAddress();
    return new HostInfo(address.getHostString(), address.getPort());
  }

  public String url() {
    HostInfo host = hostInfo();
    return "http://" + host.host() + ":" + host.port();
  }

  /** Serves the web UI under {@code /ui}. */
  public void serveUi(WebUi ui) {
    ui.countRefusalsIn(limits);
    server.createContext("/ui", ui::handle).getFilters().add(limits);
  }

  /** Serves queries on {@code streams}, and {@code /metrics} from {@code registry}. */
  public void serve(KafkaStreams streams, PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.streams = streams;
    if (registry != null) {
      limits.bind(registry);
    }
  }

  /**
   * Answers one request and closes the exchange; an error is answered before the exchange closes (a
   * catch of a try-with-resources runs after the close, too late to answer).
   */
  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      answer(exchange);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      if (!"GET".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, error("only GET is supported"));
      } else if (path.equals("/metrics") && registry != null) {
        MetricsEndpoint.respond(exchange, registry);
      } else if (path.equals("/health")) {
        boolean up = streams != null && streams.state() == KafkaStreams.State.RUNNING;
        respond(
            exchange,
            up ? 200 : 503,
            JSON.createObjectNode()
                .put("state", streams == null ? "STARTING" : streams.state().name()));
      } else if (streams == null) {
        respond(exchange, 503, error("the coordinator is starting"));
      } else if (path.startsWith("/runs/")) {
        run(exchange, decode(path.substring("/runs/".length())), query);
      } else if (path.startsWith("/definitions/")) {
        definition(exchange, decode(path.substring("/definitions/".length())));
      } else if (path.equals("/runs")) {
        runs(exchange, parameters(query));
      } else if (path.equals("/run-counts")) {
        counts(exchange, parameters(query));
      } else {
        respond(exchange, 404, error("no such endpoint: " + path));
      }
    } catch (BadRequest e) {
      limits.refused("bad_request");
      respond(exchange, 400, error(e.getMessage()));
    } catch (InvalidStateStoreException e) {
      log.debug(
          "Query {} while the stores are not ready: {}", exchange.getRequestURI(), e.getMessage());
      respond(exchange, 503, error(e.getMessage()));
    } catch (RuntimeException e) {
      log.warn("Query {} failed: {}", exchange.getRequestURI(), e.toString());
      respond(exchange, 503, error(e.getMessage()));
    }
  }

  private void run(HttpExchange exchange, String runId, String query) throws IOException {
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(CoordinatorTopology.RUNS_STORE, runId, new StringSerializer());
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      respond(exchange, 503, error("run store not available yet (rebalancing)"));
      return;
    }
    if (!metadata.activeHost().equals(hostInfo()) && (query == null || !query.contains(LOCAL))) {
      forward(
          exchange,
          metadata.activeHost(),
          "/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "?" + LOCAL);
      return;
    }
    RunState state = RunRecords.load(store(), childrenStore(), paramsStore(), runId);
    if (state == null) {
      respond(exchange, 404, error("run '" + runId + "' not found"));
    } else {
      respond(exchange, 200, RunViews.toJson(RunViews.from(state)));
    }
  }

  /** Whether this instance's copy of the definitions holds {@code name:version}. */
  private void definition(HttpExchange exchange, String key) throws IOException {
    ReadOnlyKeyValueStore<String, WorkflowDef> definitions =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                CoordinatorTopology.DEFINITIONS_STORE, QueryableStoreTypes.keyValueStore()));
    WorkflowDef def = definitions.get(key);
    if (def == null) {
      respond(exchange, 404, error("definition '" + key + "' not known to this coordinator"));
    } else {
      respond(
          exchange,
          200,
          JSON.createObjectNode().put("name", def.getName()).put("version", def.getVersion()));
    }
  }

  /**
   * The newest {@code limit} runs (by start time) with the given status, of every instance: each
   * keeps only its newest {@code limit} while it scans its store, and the answers are merged.
   */
  private void runs(HttpExchange exchange, Map<String, String> params) throws IOException {
    String status = status(params.get("status"));
    int limit = limit(params.getOrDefault("limit", "1000"));
    Comparator<JsonNode> newestFirst =
        Comparator.comparing(RunQueryServer::startedAt)
            .thenComparing(run -> run.path("runId").asText())
            .reversed();
    PriorityQueue<JsonNode> newest = new PriorityQueue<>(newestFirst.reversed());
    for (String runId : new RunIndex(streams).newest(status, limit)) {
      RunState state = RunRecords.load(store(), childrenStore(), paramsStore(), runId);
      if (state != null) {
        keepNewest(newest, RunViews.toJson(RunViews.from(state)), limit, newestFirst);
      }
    }
    if (!"true".equals(params.get("local"))) {
      for (StreamsMetadata other :
          streams.streamsMetadataForStore(CoordinatorTopology.RUNS_STORE)) {
        if (!other.hostInfo().equals(hostInfo())) {
          String q =
              "/runs?local=true&limit=" + limit + (status == null ? "" : "&status=" + status);
          JsonNode remote = JSON.readTree(get(other.hostInfo(), q).body());
          remote.forEach(run -> keepNewest(newest, run, limit, newestFirst));
        }
      }
    }
    List<JsonNode> sorted = new ArrayList<>(newest);
    sorted.sort(newestFirst);
    ArrayNode runs = JSON.createArrayNode();
    sorted.forEach(runs::add);
    respond(exchange, 200, runs);
  }

  /** How many runs have each status, on every instance (this one only with {@code local=true}). */
  private void counts(HttpExchange exchange, Map<String, String> params) throws IOException {
    Map<String, Long> counts = new RunIndex(streams).counts();
    if (!"true".equals(params.get("local"))) {
      for (StreamsMetadata other :
          streams.streamsMetadataForStore(CoordinatorTopology.RUNS_STORE)) {
        if (!other.hostInfo().equals(hostInfo())) {
          JsonNode remote = JSON.readTree(get(other.hostInfo(), "/run-counts?local=true").body());
          remote
              .fields()
              .forEachRemaining(e -> counts.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
      }
    }
    var body = JSON.createObjectNode();
    counts.forEach(body::put);
    respond(exchange, 200, body);
  }

  private static Instant startedAt(JsonNode run) {
    JsonNode at = run.path("startedAt");
    return at.isTextual() ? Instant.parse(at.asText()) : Instant.EPOCH;
  }

  /** Adds {@code run} to {@code newest} (oldest at its head), keeping at most {@code limit}. */
  private static void keepNewest(
      PriorityQueue<JsonNode> newest, JsonNode run, int limit, Comparator<JsonNode> newestFirst) {
    if (newest.size() < limit) {
      newest.add(run);
    } else if (limit > 0 && newestFirst.compare(run, newest.peek()) < 0) {
      newest.poll();
      newest.add(run);
    }
  }

  private ReadOnlyKeyValueStore<String, String> paramsStore() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            CoordinatorTopology.PARAMS_STORE, QueryableStoreTypes.keyValueStore()));
  }

  private ReadOnlyKeyValueStore<String, TaskState> childrenStore() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            CoordinatorTopology.CHILDREN_STORE, QueryableStoreTypes.keyValueStore()));
  }

  private ReadOnlyKeyValueStore<String, RunState> store() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            CoordinatorTopology.RUNS_STORE, QueryableStoreTypes.keyValueStore()));
  }

  private void forward(HttpExchange exchange, HostInfo host, String pathAndQuery)
      throws IOException {
    HttpResponse<String> response = get(host, pathAndQuery);
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(response.statusCode(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private HttpResponse<String> get(HostInfo host, String pathAndQuery) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + host, e);
    }
  }

  private static Map<String, String> parameters(String query) {
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return params;
  }

  /** {@code text} percent-decoded; a malformed escape is the client's error. */
  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("malformed percent-encoding in '" + text + "': " + e.getMessage());
    }
  }

  /** The status filter of {@code /runs}: null for any, else one of the run statuses. */
  private static String status(String text) {
    if (text == null) {
      return null;
    }
    for (RunStatus status : RunStatus.values()) {
      if (status.name().equals(text)) {
        return text;
      }
    }
    throw new BadRequest(
        "status '" + text + "' is not one of " + java.util.Arrays.toString(RunStatus.values()));
  }

  /** The {@code limit} of {@code /runs}: 1 to {@value #MAX_LIMIT}. */
  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequest("limit '" + text + "' is not a whole number from 1 to " + MAX_LIMIT);
  }

  /** A request the client got wrong: answered 400 with its message. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private static JsonNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}

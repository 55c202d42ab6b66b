package io.weft.core.internals.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.core.http.HttpClientSecurity;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.internals.coordinator.CoordinatorTopology;
import io.weft.core.internals.coordinator.RunRecords;
import io.weft.core.internals.ui.WebUi;
import io.weft.core.metrics.MetricsEndpoint;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.internal.TaskState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 *
 * <p>With {@code weft.http.tls.keystore.location} it speaks HTTPS; with {@code
 * weft.http.auth.tokens.file} each endpoint needs a bearer token with the scope {@link QueryAccess}
 * names.
 */
public final class RunQueryServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunQueryServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCAL = "local=true";
  private static final QueryAccess ACCESS = new QueryAccess();

  /** The most runs {@code GET /runs} answers. */
  static final int MAX_LIMIT = 10_000;

  private final HttpServer server;
  private final HttpServerSecurity security;
  private final Peers peers;
  private volatile KafkaStreams streams;
  private volatile PrometheusMeterRegistry registry;
  private final RequestLimits limits = new RequestLimits();

  private RunQueryServer(
      HttpServer server, HttpServerSecurity security, HttpClientSecurity peerSecurity) {
    this.server = server;
    this.security = security;
    this.peers = new Peers(security.scheme(), peerSecurity);
  }

  /**
   * Binds the server, plain HTTP and open (port 0 picks a free one); it answers 503 until {@link
   * #serve} is called.
   */
  public static RunQueryServer bind(String host, int port) {
    return bind(host, port, HttpServerSecurity.none(), HttpClientSecurity.none());
  }

  /**
   * Binds the server secured by {@code security} (TLS, tokens; {@link QueryAccess} says which
   * endpoint needs which scope), calling the coordinator's other instances with {@code peers}'
   * trust.
   */
  public static RunQueryServer bind(
      String host, int port, HttpServerSecurity security, HttpClientSecurity peers) {
    try {
      // small answers without waiting for a delayed ACK (Nagle); the JDK reads this once, when
      // the first server of the process starts, so the first of Weft's servers sets it for all
      if (System.getProperty("sun.net.httpserver.nodelay") == null) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
      }
      HttpServer server = security.bind(new InetSocketAddress(host, port));
      RunQueryServer query = new RunQueryServer(server, security, peers);
      query.secure(server.createContext("/", query::handle));
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

  /** {@code http://host:port}, or {@code https://} with TLS. */
  public String url() {
    HostInfo host = hostInfo();
    return security.scheme() + "://" + host.host() + ":" + host.port();
  }

  /**
   * Serves the web UI under {@code /ui}. The server is running already: the context gets its
   * filters before its handler, so that no request reaches the UI unchecked (until then, {@code
   * /ui} answers 404).
   */
  public void serveUi(WebUi ui) {
    ui.countRefusalsIn(limits);
    HttpContext context = server.createContext("/ui");
    secure(context);
    context.setHandler(ui::handle);
  }

  /** The request limits first, then the tokens, if required. */
  private void secure(HttpContext context) {
    context.getFilters().add(limits);
    security.auth(ACCESS).ifPresent(auth -> context.getFilters().add(auth.filter(limits::refused)));
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
        run(exchange, QueryParameters.decode(path.substring("/runs/".length())), query);
      } else if (path.startsWith("/definitions/")) {
        definition(exchange, QueryParameters.decode(path.substring("/definitions/".length())));
      } else if (path.equals("/runs")) {
        runs(exchange, QueryParameters.parse(query));
      } else if (path.equals("/run-counts")) {
        counts(exchange, QueryParameters.parse(query));
      } else {
        respond(exchange, 404, error("no such endpoint: " + path));
      }
    } catch (QueryParameters.BadRequest e) {
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
      peers.forward(
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
    String status = QueryParameters.status(params.get("status"));
    int limit = QueryParameters.limit(params.getOrDefault("limit", "1000"), MAX_LIMIT);
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
          JsonNode remote = peers.gather(Peers.authorization(exchange), other.hostInfo(), q);
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
          JsonNode remote =
              peers.gather(
                  Peers.authorization(exchange), other.hostInfo(), "/run-counts?local=true");
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

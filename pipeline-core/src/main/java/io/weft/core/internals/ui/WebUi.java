package io.weft.core.internals.ui;

import com.sun.net.httpserver.HttpExchange;
import io.weft.core.api.ClientConfig;
import io.weft.core.api.ConnectionSettings;
import io.weft.core.api.ModelRegistry;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WeftConfig;
import io.weft.core.api.WeftTopics;
import io.weft.core.internals.config.PassThrough;
import io.weft.core.internals.query.RequestLimits;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI, served by the coordinator under {@code /ui} of its query API: static pages (its own
 * files and the WebJars' libraries, from the classpath), the JSON endpoints of {@link UiApi}, and a
 * server-sent event stream of {@code weft.events} ({@code /ui/api/events}).
 */
public final class WebUi implements UiApi.UiConnections, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebUi.class);
  private static final Pattern RUN_EVENTS = Pattern.compile("/api/runs/([^/]+)/events");
  private static final Pattern RUN_ACTION =
      Pattern.compile("/api/runs/([^/]+)/(cancel|retry|pause|resume)");
  private static final Pattern MODEL_ACTION =
      Pattern.compile("/api/models/([^/]+)/(promote|rollback)");
  private static final Pattern DEFINITION = Pattern.compile("/api/definitions/([^/]+)/(\\d{1,9})");
  private static final int MAX_STREAMS = 64;

  /** The events the UI keeps in memory (as Avro, a few hundred bytes each). */
  static final int MAX_EVENTS = 200_000;

  private final Map<String, Object> consumerProps;
  private final EventFeed feed;
  private final UiApi api;
  private final StaticFiles files = new StaticFiles();
  private final Semaphore streams = new Semaphore(MAX_STREAMS);
  private volatile RequestLimits limits;
  private final UiApi.Lazy<WeftClient> client;
  private final UiApi.Lazy<ModelRegistry> models;
  private final UiApi.Lazy<Admin> admin;

  private WebUi(Map<String, Object> clientSettings, WeftTopics topics, Duration history) {
    WeftConfig config = new ClientConfig(clientSettings);
    this.consumerProps = new HashMap<>(PassThrough.security(clientSettings));
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    this.client = new UiApi.Lazy<>(() -> WeftClient.create(clientSettings));
    this.models = new UiApi.Lazy<>(() -> ModelRegistry.create(clientSettings));
    this.admin =
        new UiApi.Lazy<>(
            () -> {
              Map<String, Object> props = new HashMap<>(consumerProps);
              props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
              props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
              return Admin.create(props);
            });
    this.feed =
        new EventFeed(
            consumerProps,
            topics.events(),
            WeftTopics.EVENTS.deserializer(config.serdeConfig()),
            history,
            MAX_EVENTS);
    this.api = new UiApi(this, topics);
  }

  /**
   * The UI of the installation reached with {@code settings} (a component's settings; the
   * connection settings among them are used). Its event feed starts on its first request, reading
   * {@code history} of events back.
   */
  public static WebUi create(Map<String, ?> settings, WeftTopics topics, Duration history) {
    return new WebUi(connectionSettings(settings), topics, history);
  }

  /** The settings of a {@link WeftClient} among a component's settings. */
  static Map<String, Object> connectionSettings(Map<String, ?> settings) {
    Set<String> clientKeys = ClientConfig.configDef().names();
    Map<String, Object> client = new HashMap<>(PassThrough.security(settings));
    settings.forEach(
        (key, value) -> {
          if (clientKeys.contains(key) || ConnectionSettings.isSerdeSetting(key)) {
            client.put(key, value);
          }
        });
    return client;
  }

  /** Answers a request under {@code /ui}. */
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/ui")) {
      exchange.getResponseHeaders().add("Location", "/ui/");
      UiResponses.bytes(exchange, 308, "text/plain", new byte[0]);
      exchange.close();
      return;
    }
    if (!path.startsWith("/ui/")) {
      UiResponses.error(exchange, 404, "no such endpoint: " + path);
      exchange.close();
      return;
    }
    feed.start();
    String rest = path.substring("/ui".length());
    String method = exchange.getRequestMethod();
    if (rest.equals("/api/events") && method.equals("GET")) {
      String runId;
      try {
        runId = parameter(exchange, "runId");
      } catch (BadPath e) {
        badPath(exchange, e);
        exchange.close();
        return;
      }
      // the stream outlives this call: its own thread answers and closes the exchange
      EventStream.open(exchange, feed, runId, streams);
      return;
    }
    try (exchange) { // answered inside: a catch of this try would run after the close
      try {
        route(exchange, rest, method);
      } catch (BadPath e) {
        badPath(exchange, e);
      } catch (RuntimeException e) {
        log.warn("UI request {} {} failed: {}", method, exchange.getRequestURI(), e.toString());
        UiResponses.error(exchange, 503, String.valueOf(e.getMessage()));
      }
    }
  }

  private void route(HttpExchange exchange, String rest, String method) throws IOException {
    Matcher m;
    if (method.equals("POST")) {
      if ((m = RUN_ACTION.matcher(rest)).matches()) {
        String runId = decode(m.group(1));
        switch (m.group(2)) {
          case "cancel" -> api.cancel(exchange, runId);
          case "pause" -> api.pause(exchange, runId);
          case "resume" -> api.resume(exchange, runId);
          default -> api.retry(exchange, runId);
        }
      } else if ((m = MODEL_ACTION.matcher(rest)).matches()) {
        if (m.group(2).equals("promote")) {
          api.promote(exchange, decode(m.group(1)));
        } else {
          api.rollback(exchange, decode(m.group(1)));
        }
      } else {
        UiResponses.error(exchange, 404, "no such action: POST /ui" + rest);
      }
    } else if (!method.equals("GET")) {
      UiResponses.error(exchange, 405, "only GET, and POST for actions");
    } else if ((m = RUN_EVENTS.matcher(rest)).matches()) {
      UiResponses.json(exchange, 200, feed.events(decode(m.group(1))));
    } else if ((m = DEFINITION.matcher(rest)).matches()) {
      api.definition(exchange, decode(m.group(1)), version(m.group(2)));
    } else if (rest.equals("/api/models")) {
      api.models(exchange);
    } else if (rest.equals("/api/workers")) {
      api.workers(exchange);
    } else if (rest.startsWith("/api/") || !files.serve(exchange, rest.substring(1))) {
      UiResponses.error(exchange, 404, "no such page or endpoint: /ui" + rest);
    }
  }

  private static String parameter(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith(name + "=")) {
          return decode(pair.substring(name.length() + 1));
        }
      }
    }
    return null;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadPath("malformed percent-encoding in '" + text + "': " + e.getMessage());
    }
  }

  private void badPath(HttpExchange exchange, BadPath e) throws IOException {
    RequestLimits counted = limits;
    if (counted != null) {
      counted.refused("bad_request");
    }
    UiResponses.error(exchange, 400, e.getMessage());
  }

  private static int version(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new BadPath("version " + digits + " is out of range");
    }
  }

  /** Counts the requests refused as bad in {@code limits} (those of the server serving the UI). */
  public void countRefusalsIn(RequestLimits limits) {
    this.limits = limits;
  }

  /** A path or parameter the client got wrong: answered 400 with its message. */
  private static final class BadPath extends RuntimeException {
    BadPath(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public WeftClient client() {
    return client.get();
  }

  @Override
  public ModelRegistry models() {
    return models.get();
  }

  @Override
  public Admin admin() {
    return admin.get();
  }

  @Override
  public Map<String, Object> consumerProps() {
    return consumerProps;
  }

  @Override
  public void close() {
    try {
      feed.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(client.ifMade());
    closeQuietly(models.ifMade());
    closeQuietly(admin.ifMade());
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.debug("Closing {} failed: {}", closeable, e.toString());
      }
    }
  }
}

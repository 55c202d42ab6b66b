package io.weft.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.common.WeftException;
import io.weft.core.http.HttpClientSecurity;
import io.weft.core.internals.query.RunViews;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Time;

/**
 * {@link WeftClient}'s side of the coordinator's query API: the run views it asks for over HTTP(S),
 * with the client's trust and token, trying each of {@code weft.query.url}'s coordinators in turn,
 * and the waits built on them.
 */
final class QueryApiClient {

  /** The least time a status request of a wait gets, however close its deadline. */
  private static final long MIN_REQUEST_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The last answer of {@link #awaitRun}: the run if known, and the error if it failed. */
  record Answer(Optional<RunView> run, WeftException error) {}

  private final List<String> urls;
  private final HttpClientSecurity security;
  private final HttpClient http;
  private final Duration timeout;
  private final Time time;

  private QueryApiClient(
      List<String> urls, HttpClientSecurity security, Duration timeout, Time time) {
    this.urls = urls;
    this.security = security;
    this.http =
        security.configure(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))).build();
    this.timeout = timeout;
    this.time = time;
  }

  /**
   * The query API client of {@code config}; refuses a token bound for a plain-HTTP URL of another
   * host.
   */
  static QueryApiClient create(ClientConfig config, Duration timeout, Time time) {
    HttpClientSecurity security = HttpClientSecurity.from(config);
    List<String> urls = config.getList(ClientConfig.QUERY_URL_CONFIG);
    security.requireSafeFor(urls, ClientConfig.QUERY_URL_CONFIG);
    return new QueryApiClient(urls, security, timeout, time);
  }

  /** The run as the coordinator sees it, or empty if it does not know it (yet). */
  Optional<RunView> status(String runId, Duration requestTimeout) {
    HttpResponse<String> response =
        query("/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8), requestTimeout);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(RunViews.fromJson(parse(response)));
  }

  /** Runs, optionally only those with the given status. */
  List<RunView> runs(RunView.Status status, int limit) {
    HttpResponse<String> response =
        query("/runs?limit=" + limit + (status == null ? "" : "&status=" + status.name()), timeout);
    List<RunView> runs = new ArrayList<>();
    parse(response).forEach(node -> runs.add(RunViews.fromJson(node)));
    return runs;
  }

  /** Waits until a coordinator has read the registered definition {@code key}. */
  void awaitDefinition(String key) {
    long deadline = time.nanoseconds() + timeout.toNanos();
    String path = "/definitions/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    while (query(path, timeout).statusCode() != 200) {
      if (time.nanoseconds() > deadline) {
        throw new WeftException(
            "The coordinator did not see definition " + key + " within " + timeout);
      }
      sleep(20);
    }
  }

  /** Asks for the run until it {@code matches} or the time is up; returns the last answer. */
  Answer awaitRun(String runId, Duration wait, Predicate<RunView> matches) {
    long deadline = time.nanoseconds() + wait.toNanos();
    long pause = 20;
    while (true) {
      Answer answer;
      try {
        // a hung coordinator must not hold one request much past the deadline
        long left = Math.max(MIN_REQUEST_NANOS, deadline - time.nanoseconds());
        answer =
            new Answer(status(runId, Duration.ofNanos(Math.min(left, timeout.toNanos()))), null);
      } catch (QueryAccessException e) {
        throw e; // asking again with the same token is refused again
      } catch (WeftException e) {
        // the coordinator is rebalancing, restarting or not running: ask again
        answer = new Answer(Optional.empty(), e);
      }
      long left = deadline - time.nanoseconds();
      if (answer.run().isPresent() && matches.test(answer.run().get()) || left <= 0) {
        return answer;
      }
      sleep(Math.max(1, Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left))));
      pause = Math.min(pause * 2, 250);
    }
  }

  private HttpResponse<String> query(String pathAndQuery, Duration requestTimeout) {
    if (urls.isEmpty()) {
      throw new WeftException(
          "No coordinator query URL configured (" + ClientConfig.QUERY_URL_CONFIG + ")");
    }
    WeftException last = null;
    for (String url : urls) {
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout(requestTimeout).GET();
        security.authorization().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 || response.statusCode() == 404) {
          return response;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
          throw new QueryAccessException(url, response.statusCode(), response.body());
        }
        last =
            new WeftException(
                "Coordinator at "
                    + url
                    + " answered "
                    + response.statusCode()
                    + ": "
                    + response.body());
      } catch (IOException e) {
        last =
            new WeftException(
                "Cannot reach the coordinator's query API at "
                    + url
                    + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeftException("Interrupted while querying " + url, e);
      }
    }
    throw last;
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new WeftException("The coordinator's answer is not JSON: " + response.body(), e);
    }
  }

  private void sleep(long millis) {
    time.sleep(millis); // keeps the interrupt flag if interrupted
    if (Thread.currentThread().isInterrupted()) {
      throw new WeftException("Interrupted while waiting");
    }
  }
}

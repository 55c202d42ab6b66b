package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.api.TaskDefinition;
import io.weft.core.api.WeftClient;
import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.query.RequestLimits;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.testkit.WeftInstallation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The query API and the web UI's API, as a stranger on the network may call them: 1,000 requests
 * from a fixed seed, with random methods, paths, percent-escapes, query strings, headers and
 * bodies, against a real coordinator. None gets a 5xx or hangs, each refusal is a JSON error (but a
 * request line that is no URI, which the JDK's HTTP server refuses with its own 400), and the
 * server answers a valid request afterwards. The server-sent event stream ({@code /ui/api/events})
 * is left out: it is meant to stay open.
 */
@ExtendWith(WeftStackExtension.class)
class QueryApiFuzzIT {

  private static final long SEED = 20261207L;
  private static final int TIMEOUT_MS = 10_000;
  private static final int CASES = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> METHODS =
      List.of("GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH");
  private static final List<String> PATHS =
      List.of(
          "/runs/%s",
          "/runs",
          "/run-counts",
          "/definitions/%s",
          "/health",
          "/metrics",
          "/%s",
          "/ui/api/runs/%s/events",
          "/ui/api/runs/%s/cancel",
          "/ui/api/runs/%s/pause",
          "/ui/api/runs/%s/resume",
          "/ui/api/runs/%s/retry",
          "/ui/api/definitions/%s/%s",
          "/ui/api/models",
          "/ui/api/models/%s/promote",
          "/ui/api/models/%s/rollback",
          "/ui/api/workers",
          "/ui/%s",
          "/ui/api/%s");

  @Test
  void shouldAnswerEveryMalformedRequestBelow500WithAJsonErrorAndStayUp(WeftStack stack)
      throws Exception {
    // given: a coordinator with a run to find
    try (WeftInstallation weft =
        WeftInstallation.forTests(stack, "query-fuzz")
            .withHandlers(new TestHandlers())
            .startCoordinator()) {
      weft.startWorker(Map.of(), "step");
      WeftClient client = weft.client();
      client.register(
          WorkflowDefinition.builder("one", 1).task(TaskDefinition.builder("a", "step")).build());
      String runId = client.startRun("one", Map.of());
      client.awaitCompletion(runId, Duration.ofSeconds(60));
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      Random random = new Random(SEED);

      // when / then
      for (int i = 0; i < CASES; i++) {
        String method = METHODS.get(random.nextInt(METHODS.size()));
        String target = randomTarget(random, runId);
        String what = "case " + i + ": " + method + " " + target;
        List<String> headers = headers(random);
        byte[] body = body(random);
        what += " (" + headers.size() + " headers, " + body.length + " body bytes)";
        if (!isUri(target)) {
          // the JDK's HTTP server refuses a request line that is no URI itself, before Weft's
          // code: a 400 in HTML, and it closes the connection without reading the body
          assertRefusedByTheServer(weft.queryUrl(), method, target, headers, body, what);
          continue;
        }
        RawHttp.Response response;
        try {
          response = RawHttp.send(weft.queryUrl(), method, target, headers, body, TIMEOUT_MS);
        } catch (java.io.IOException e) {
          throw new AssertionError(what + ": no answer", e);
        }
        assertThat(response.status()).as(what).isLessThan(500);
        if (response.status() >= 400) {
          assertThat(errorOf(response.body())).as(what + " -> " + response).isNotBlank();
        }
      }

      // and: it still answers, and counted what it refused
      HttpResponse<String> run =
          http.send(
              HttpRequest.newBuilder(URI.create(weft.queryUrl() + "/runs/" + runId)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(run.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(run.body()).path("status").asText()).isEqualTo("SUCCEEDED");
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(weft.queryUrl() + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .containsPattern("weft_http_refused_total\\{.*reason=\"bad_request\".*\\} [1-9]")
          .containsPattern("weft_http_refused_total\\{.*reason=\"too_many_headers\".*\\} [1-9]");
    }
  }

  private static void assertRefusedByTheServer(
      String base, String method, String target, List<String> headers, byte[] body, String what) {
    try {
      assertThat(RawHttp.send(base, method, target, headers, body, TIMEOUT_MS).status())
          .as(what)
          .isEqualTo(400);
    } catch (java.net.SocketException e) {
      assertThat(e.getMessage()).as(what).contains("reset"); // cut while the body was unread
    } catch (java.io.IOException e) {
      throw new AssertionError(what + ": no answer", e);
    }
  }

  private static boolean isUri(String target) {
    try {
      new URI(target);
      return true;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** The {@code error} member of a JSON body; empty if the body is not JSON. */
  private static String errorOf(String body) {
    try {
      return JSON.readTree(body).path("error").asText();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** A request target: a path of the API with random segments, and sometimes a query. */
  private static String randomTarget(Random random, String runId) {
    String template = PATHS.get(random.nextInt(PATHS.size()));
    String path = String.format(template, segment(random, runId), segment(random, runId));
    return random.nextInt(3) == 0 ? path + "?" + query(random) : path;
  }

  /** A few headers, a JSON or other content type, and now and then too many. */
  private static List<String> headers(Random random) {
    List<String> headers = new java.util.ArrayList<>();
    if (random.nextBoolean()) {
      headers.add(
          "Content-Type: " + (random.nextBoolean() ? "application/json" : "text/" + word(random)));
    }
    int extra = random.nextInt(10) == 0 ? RequestLimits.MAX_HEADERS + random.nextInt(50) : 3;
    for (int h = 0; h < extra; h++) {
      headers.add("X-Fuzz-" + h + ": " + word(random));
    }
    return headers;
  }

  /** A path segment: the real run id, a word, percent-escapes good and bad, or a long one. */
  private static String segment(Random random, String runId) {
    return switch (random.nextInt(7)) {
      case 0 -> runId;
      case 1 -> word(random);
      case 2 -> "%" + Integer.toHexString(random.nextInt(256)) + word(random);
      case 3 -> "%zz" + word(random);
      case 4 -> "%";
      case 5 -> "9".repeat(1 + random.nextInt(12));
      default -> "x".repeat(random.nextInt(2) == 0 ? 300 : 9000);
    };
  }

  private static String query(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> "limit=" + (random.nextInt(5) == 0 ? "-1" : word(random));
      case 1 -> "limit=" + random.nextLong();
      case 2 -> "status=" + word(random);
      case 3 -> "status=FAILED&limit=" + random.nextInt(20_000);
      case 4 -> "local=true&%zz=1";
      default -> word(random) + "=" + word(random) + "&=&&";
    };
  }

  private static byte[] body(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> new byte[0];
      case 1 -> "{\"reason\": \"fuzz\", \"version\": 1}".getBytes(StandardCharsets.UTF_8);
      case 2 -> "{\"version\": \"x\"".getBytes(StandardCharsets.UTF_8);
      case 3 -> {
        byte[] bytes = new byte[random.nextInt(2048)];
        random.nextBytes(bytes);
        yield bytes;
      }
      default -> ("{\"reason\": \"" + "r".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    };
  }

  private static String word(Random random) {
    String letters = "abcxyzABC019-_.~";
    StringBuilder word = new StringBuilder();
    for (int i = 1 + random.nextInt(12); i > 0; i--) {
      word.append(letters.charAt(random.nextInt(letters.length())));
    }
    return word.toString();
  }
}

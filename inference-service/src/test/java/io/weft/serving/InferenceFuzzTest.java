package io.weft.serving;

import static io.weft.serving.ServingFixture.JSON;
import static io.weft.serving.ServingFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Meter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and mutated requests against a real server, {@value #CASES} cases drawn from a fixed seed
 * by {@link FuzzRequests}: every one is answered within {@link ServingFixture#TIMEOUT} with a
 * status below 500, every 4xx with a JSON body {@code {"error": "..."}} and counted in {@code
 * weft.inference.refused}, and the server still answers a valid request afterwards. A failing case
 * is reported with its number and what was drawn, and replays from the seed.
 */
class InferenceFuzzTest {

  private static final long SEED = 20261207L;
  private static final int CASES = 1_000;
  private static final int MAX_BODY = 256 * 1024;

  private final ServingFixture serving = new ServingFixture();

  @AfterEach
  void close() {
    serving.close();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void shouldAnswerEveryRandomOrMutatedRequestInTimeWithoutA5xx() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of("serve.max.request.bytes", MAX_BODY));
    FuzzRequests requests = new FuzzRequests(new Random(SEED), MAX_BODY);
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    int refused = 0;

    // when
    for (int n = 0; n < CASES; n++) {
      FuzzRequests.Case fuzz = requests.next();
      String failure;
      try {
        HttpResponse<String> response = serving.send(fuzz.build(serving.request(fuzz.path())));
        statuses.merge(response.statusCode(), 1, Integer::sum);
        refused += response.statusCode() / 100 == 4 ? 1 : 0;
        failure =
            failure(
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
      } catch (HttpTimeoutException e) {
        failure = "no answer within " + TIMEOUT;
      } catch (IOException e) {
        failure = "no answer: " + e;
      }
      if (failure != null) {
        failures.add("case " + n + " (" + fuzz + "): " + failure);
      }
    }

    // then
    assertThat(failures)
        .as("failed cases of %d from seed %d; statuses %s", CASES, SEED, statuses)
        .isEmpty();
    assertThat(statuses).as("statuses drawn").containsKeys(200, 400, 404, 405, 413, 431);
    assertThat(serving.refused()).as("refusals counted").isEqualTo(refused);
    // and: a stranger's paths add no meters
    assertThat(tagValues("weft.inference.requests", "model")).isSubsetOf("mnist", "");
    assertThat(tagValues("weft.inference.requests", "version")).isSubsetOf("1", "");
    // and: the server still answers
    assertThat(serving.post(FuzzRequests.INFER, FuzzRequests.VALID).statusCode()).isEqualTo(200);
  }

  /** What is wrong with an answer, or null if nothing. */
  private static String failure(int status, String body, String contentType) {
    if (status >= 500) {
      return "status " + status + ": " + abbreviate(body);
    }
    if (status < 400) {
      return null;
    }
    if (!contentType.startsWith("application/json")) {
      return "status " + status + " of type '" + contentType + "': " + abbreviate(body);
    }
    try {
      JsonNode error = JSON.readTree(body).get("error");
      return error != null && error.isTextual()
          ? null
          : "status " + status + " without an error: " + abbreviate(body);
    } catch (IOException e) {
      return "status " + status + " with a body that is not JSON: " + abbreviate(body);
    }
  }

  private Set<String> tagValues(String meter, String tag) {
    Set<String> values = new TreeSet<>();
    for (Meter m : serving.server().meterRegistry().find(meter).meters()) {
      values.add(m.getId().getTag(tag));
    }
    return values;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }
}
